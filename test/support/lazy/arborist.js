// @npmcli/arborist for @pulumi/pulumi, loaded when first used (see ../resolver.js).
module.exports = require("./lazy")(require.resolve("@npmcli/arborist"));
