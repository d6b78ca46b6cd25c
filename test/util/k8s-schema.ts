/**
 * The strict Kubernetes 1.28 schema validator the library ships (`src/policy/private/schema`), for
 * tests: `validateObject(obj)` returns one message per problem (an unknown kind is an error, whatever
 * its group); `registerCrd(yaml)` adds a CustomResourceDefinition's schemas. The CRDs in `crds/`
 * are known without registering them.
 */
export { registerCrd, validateObject } from '../../src/policy/private/schema/k8s-schema';
