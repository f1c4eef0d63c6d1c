/** Escapes text for HTML element content and attribute values. */
export function esc(value: string | number | null | undefined): string {
  return String(value ?? '')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** A tagged template whose interpolations are escaped unless wrapped in `raw()`. */
export interface Raw {
  readonly __raw: string;
}
export const raw = (html: string): Raw => ({ __raw: html });

type Value = string | number | null | undefined | Raw | readonly (string | Raw)[];

function render(v: Value): string {
  if (v === null || v === undefined) return '';
  if (Array.isArray(v)) return v.map((x) => render(x as Value)).join('');
  if (typeof v === 'object') return (v as Raw).__raw;
  return esc(v as string | number);
}

export function html(strings: TemplateStringsArray, ...values: Value[]): Raw {
  return raw(strings.reduce((acc, s, i) => acc + s + (i < values.length ? render(values[i]) : ''), ''));
}

/** JSON safe to embed in a <script type="application/json"> element. */
export function jsonScript(id: string, data: unknown): Raw {
  return raw(`<script id="${esc(id)}" type="application/json">${JSON.stringify(data).replaceAll('<', '\\u003c')}</script>`);
}

/** A sentence that starts with a lower-case label (joined reason labels) starts with a capital. */
export const capitalise = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
