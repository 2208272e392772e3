// Backstage's own code, run for the template's tests (see tests/support/backstage.py).
//
//   node backstage.cjs <npm folder> schemas          -> {"<$id>": <JSON schema>, ...}
//   node backstage.cjs <npm folder> render  < req    -> the step input, rendered
//   node backstage.cjs <npm folder> regexes < req    -> {"<pattern>": null | "<error>"}
//   node backstage.cjs <npm folder> validate < req   -> [[], ["<error>", ...], ...]
//   node backstage.cjs <npm folder> defaults < req   -> [{<page answers>}, ...]
//
// The npm folder is the one `make install` fills (.cache/npm). Requests are JSON on stdin;
// answers are JSON on stdout.
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const [npmDir, command] = process.argv.slice(2);
const modules = path.join(npmDir, 'node_modules');

// The packages ship their JSON schemas compiled into CommonJS modules whose default export
// is the schema; they import nothing, so requiring them by path is enough.
const SCHEMA_FOLDERS = [
  path.join(modules, '@backstage', 'catalog-model', 'dist', 'schema'),
  path.join(modules, '@backstage', 'plugin-scaffolder-common', 'dist'),
];

function schemaFiles(folder) {
  return fs
    .readdirSync(folder, { recursive: true })
    .filter(name => name.endsWith('.schema.json.cjs.js'))
    .map(name => path.join(folder, name));
}

function schemas() {
  const found = {};
  for (const folder of SCHEMA_FOLDERS) {
    for (const file of schemaFiles(folder)) {
      const loaded = require(file);
      const schema = loaded.default ?? loaded;
      found[schema.$id] = schema;
    }
  }
  return found;
}

// What the scaffolder does to a step's input before the action sees it
// (NunjucksWorkflowRunner.render in @backstage/plugin-scaffolder-backend 4.x): every string is
// rendered with nunjitsu, a sole `${{ }}` keeps its JSON type, and a string that fails to
// render is passed on unchanged. Backstage's own filters (parseRepoUrl, ...) are not loaded:
// the fetch step's values use only the engine's built-in filters.
function render(request) {
  const nunjitsu = require(require.resolve('nunjitsu', { paths: [npmDir] }));
  const renderer = nunjitsu.createTemplateRenderer({ allowRegexExecution: true });
  const context = { parameters: request.parameters };
  return JSON.parse(JSON.stringify(request.input), (_key, value) => {
    if (typeof value !== 'string') {
      return value;
    }
    try {
      return renderer.renderValue(value, context, { coercion: 'json' });
    } catch {
      return value;
    }
  });
}

// The form validates `pattern` with ajv, which compiles it as `new RegExp(pattern, 'u')`.
function regexes(request) {
  const result = {};
  for (const pattern of request.patterns) {
    try {
      new RegExp(pattern, 'u');
      result[pattern] = null;
    } catch (error) {
      result[pattern] = String(error);
    }
  }
  return result;
}

// A form page's answers checked as the scaffolder form checks them: ajv 8 with every error
// (rjsf's validator-ajv8 settings: allErrors, not strict, so `ui:*` keys are ignored) and
// ajv-errors for `errorMessage`. One list of messages per instance; empty when valid.
function validate(request) {
  const load = name => require(require.resolve(name, { paths: [npmDir] }));
  const Ajv = load('ajv').default;
  const ajvErrors = load('ajv-errors').default ?? load('ajv-errors');
  const ajv = new Ajv({ allErrors: true, strict: false, multipleOfPrecision: 8, verbose: true });
  ajvErrors(ajv);
  const check = ajv.compile(request.schema);
  return request.instances.map(instance =>
    check(instance)
      ? []
      : check.errors
          .filter(error => error.keyword !== 'if')
          .map(error => `${error.instancePath || '<root>'}: ${error.message}`),
  );
}

// What a form page holds before the user touches it, given answers it already has (from an
// earlier page or the URL): rjsf's getDefaultFormState, as the scaffolder form computes it,
// `if`/`then` defaults included.
function defaults(request) {
  const load = name => require(require.resolve(name, { paths: [npmDir] }));
  const { getDefaultFormState } = load('@rjsf/utils');
  const validator = load('@rjsf/validator-ajv8').default;
  return request.formData.map(formData => getDefaultFormState(validator, request.schema, formData));
}

function readStdin() {
  return JSON.parse(fs.readFileSync(0, 'utf8'));
}

const commands = {
  schemas: () => schemas(),
  render: () => render(readStdin()),
  regexes: () => regexes(readStdin()),
  validate: () => validate(readStdin()),
  defaults: () => defaults(readStdin()),
};

if (!(command in commands)) {
  process.stderr.write(`unknown command ${command}; use one of ${Object.keys(commands)}\n`);
  process.exit(2);
}
process.stdout.write(JSON.stringify(commands[command]()));
