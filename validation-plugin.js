// The cdk8s validation plugin of cdk8s-deploykit (not part of the jsii API). Name it in cdk8s.yaml:
//
//   validations:
//     - package: ./node_modules/cdk8s-deploykit/validation-plugin.js
//       version: 1.0.0            # any exact version: cdk8s refuses ranges, even for local plugins
//       class: DeploykitValidation
//       properties: { level: restricted }
//
// See README.md ("cdk8s validation plugin").
'use strict';
const { loadModule } = require('./bin/load-module');

module.exports = loadModule('policy/private/validation-plugin');
