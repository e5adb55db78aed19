// Types of what scripts/build.mjs generates beside this file (ignored by git):
// committed, so the sources type-check on a fresh clone before any build.
/**
 * The Handlebars templates of templates/, by path without ".hbs", each rendering a context to
 * text; the templates read the values of `data` as {{@name}}.
 */
export declare const templates: Record<string, (context: object, data?: object) => string>;
