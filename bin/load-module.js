// Loads a module of the library by its path under src/ (without extension): from the TypeScript
// sources when they sit beside this folder (a checkout of the repository, run through tsx, so no
// compile step is needed), else from the compiled lib/ (the npm package, which ships no src/).
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');

function loadModule(modulePath) {
  const source = path.join(root, 'src', `${modulePath}.ts`);
  if (fs.existsSync(source)) {
    let register;
    try {
      register = require('tsx/cjs/api').register;
    } catch {
      register = undefined; // no tsx: a checkout without dev dependencies; use lib/
    }
    if (register) {
      register();
      return require(source);
    }
  }
  return require(path.join(root, 'lib', `${modulePath}.js`));
}

module.exports = { loadModule };
