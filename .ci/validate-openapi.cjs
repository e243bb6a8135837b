// Validates the OpenAPI document with @apidevtools/swagger-parser (structure against the OpenAPI
// 3.1 schema, and every $ref resolved). .ci/run installs the parser into a temporary directory and
// points NODE_PATH at it; nothing is installed into the source tree.
"use strict";
const SwaggerParser = require("@apidevtools/swagger-parser");

const file = process.argv[2];
SwaggerParser.validate(file, { resolve: { external: false } })
  .then((api) => {
    const operations = Object.values(api.paths).flatMap((item) =>
      Object.keys(item).filter((k) =>
        ["get", "put", "post", "delete", "patch", "head", "options"].includes(k)));
    console.log(`${file}: valid OpenAPI ${api.openapi}, ${operations.length} operations`);
  })
  .catch((err) => {
    console.error(`${file}: ${err.message}`);
    process.exit(1);
  });
