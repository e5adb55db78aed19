import AjvModule from 'ajv';

// ajv ships CommonJS; under NodeNext its class sits on .default.
const Ajv = AjvModule.default;

/** The one ajv configuration used at build time (standalone code) and at run time (third-party plugins). */
export function createAjv(standalone = false) {
  return new Ajv({
    allErrors: true,
    verbose: true,
    discriminator: true,
    strict: true,
    keywords: ['x-expect'],
    code: standalone ? { source: true, optimize: true } : { optimize: true },
  });
}
