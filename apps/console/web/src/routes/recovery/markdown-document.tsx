// Markdown as the console shows it: parsed by marked (GitHub-flavoured) with HTML in the markdown shown as text
// (generated documents carry free text such as policy names), then sanitised by DOMPurify before it reaches the
// DOM (no script, no event handlers, no javascript: links, whatever the markdown holds).
import DOMPurify from 'dompurify';
import { Marked } from 'marked';
import { useMemo } from 'react';

const escapeHtml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const markdownParser = new Marked({ gfm: true, renderer: { html: ({ text }) => escapeHtml(text) } });

// Links leave the console in a new tab, without handing it a window.opener.
DOMPurify.addHook('afterSanitizeAttributes', (node) => {
  // An image without a text alternative is decoration.
  if (node.tagName === 'IMG' && !node.hasAttribute('alt')) node.setAttribute('alt', '');
  if (node.tagName === 'A' && /^https?:/i.test(node.getAttribute('href') ?? '')) {
    node.setAttribute('target', '_blank');
    node.setAttribute('rel', 'noopener noreferrer');
  }
});

export function renderMarkdown(markdown: string): string {
  const html = markdownParser.parse(markdown, { async: false });
  return DOMPurify.sanitize(html, { USE_PROFILES: { html: true }, FORBID_TAGS: ['style', 'form', 'input', 'iframe'], FORBID_ATTR: ['style'] });
}

export function MarkdownDocument({ markdown, label, className = '' }: { markdown: string; label: string; className?: string }) {
  const html = useMemo(() => renderMarkdown(markdown), [markdown]);
  // The HTML is DOMPurify's output above, never the raw markdown's HTML.
  return <article className={`markdown ${className}`} aria-label={label} dangerouslySetInnerHTML={{ __html: html }} />;
}
