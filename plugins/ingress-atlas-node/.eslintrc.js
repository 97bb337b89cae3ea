module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  rules: {
    // Tests run the real ingress-atlas backend plugin next to this package.
    '@backstage/no-mixed-plugin-imports': [
      'warn',
      { excludedFiles: ['**/*.test.ts'] },
    ],
  },
});
