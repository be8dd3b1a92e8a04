/*
 * Making Graphviz SVG safe to inline in the report.
 *
 * Graphviz escapes the text it writes (labels, titles) but keeps links
 * live: a node with `URL="javascript:..."` becomes a clickable script. The
 * report's graphs never need links, so every `<a>` wrapper is unwrapped,
 * every `href`/`xlink:href` and `on*` attribute is dropped, and anything
 * that could carry script or foreign markup (`<script>`, `<foreignObject>`,
 * `<iframe>`, `<use>` pointing elsewhere) is removed with its content. The
 * XML prologue, doctype and comments go too (comments hold node names).
 */

const DROP_WITH_CONTENT = /<(script|foreignObject|iframe|object|embed|style)\b[\s\S]*?<\/\1\s*>|<(script|foreignObject|iframe|object|embed|style)\b[^>]*\/>/gi;
const PROLOGUE = /<\?xml[\s\S]*?\?>|<!DOCTYPE[\s\S]*?>|<!--[\s\S]*?-->/gi;
const LINK_TAGS = /<\/?a\b[^>]*>/gi;
const USE_TAGS = /<use\b[^>]*>(?:\s*<\/use>)?/gi;
const UNSAFE_ATTRS = /\s(?:on[a-z]+|href|xlink:href|xml:base|formaction)\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+)/gi;

/**
 * Strips links, scripts and event handlers from an SVG document and returns
 * the `<svg>` element alone, ready to inline in HTML.
 * @example sanitizeSvg('<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>') === '<svg><text>x</text></svg>'
 */
export function sanitizeSvg(svg: string): string {
  let out = svg.replace(PROLOGUE, '').replace(DROP_WITH_CONTENT, '').replace(LINK_TAGS, '').replace(USE_TAGS, '');
  out = out.replace(/<[a-zA-Z][^>]*>/g, (tag) => tag.replace(UNSAFE_ATTRS, ''));
  const start = out.indexOf('<svg');
  return start >= 0 ? out.slice(start).trim() : '';
}
