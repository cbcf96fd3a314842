export * from './pseudonym.js';
export * from './participant.js';
