export * from './pseudonym.js';
export * from './participant.js';
export * from './secrets.js';
