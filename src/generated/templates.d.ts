// Types of what scripts/build.mjs generates beside this file (ignored by git):
// committed, so the sources type-check on a fresh clone before any build.
/** The Handlebars templates of templates/, by path without ".hbs", each rendering a context to text. */
export declare const templates: Record<string, (context: object) => string>;
