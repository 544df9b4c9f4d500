/**
 * Every object against the Kubernetes OpenAPI schemas, through kubernetes-models (the models
 * generated from Kubernetes' own OpenAPI document, with a JSON-schema validator per kind):
 * field types, required fields, enums and formats. Its schemas allow unknown fields, so a
 * misspelt field passes here; the cross-object checks catch the ones we rely on.
 */
import { problem } from './context.mjs';

/** The kubernetes-models module of an apiVersion: "v1" is the core group, "apps/v1" a named one. */
const moduleOf = (apiVersion) => `kubernetes-models/${apiVersion}`;

export async function checkSchemas(objects) {
  for (const { doc, label } of objects) {
    let Model;
    try {
      Model = (await import(moduleOf(doc.apiVersion)))[doc.kind];
    } catch {
      Model = undefined;
    }
    if (typeof Model !== 'function') {
      problem(label, `${doc.apiVersion} ${doc.kind} is no Kubernetes kind kubernetes-models knows`);
      continue;
    }
    try {
      new Model(doc).validate();
    } catch (error) {
      const details = Array.isArray(error.errors)
        ? error.errors.map((e) => `${e.instancePath || '/'} ${e.message}`).join('; ')
        : error.message;
      problem(label, `schema: ${details}`);
    }
  }
}
