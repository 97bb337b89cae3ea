/* Optional platform binaries that the registry does not carry (other OSes and CPUs)
 * make resolution fail with YN0082. For such a dependency whose range has no
 * candidates, widen the range to `npm:*`: it is never fetched on linux-x64.
 * (The parent's optional flag is not known yet while resolving, hence the name test.)
 *
 * The lockfile decides first: a descriptor it already resolves, as written or widened,
 * is kept without asking the registry. Otherwise a fresh install would resolve again
 * whenever the registry starts serving a binary it lacked, and rewrite yarn.lock. */
const PLATFORM = /(darwin|win32|windows|android|freebsd|openbsd|netbsd|sunos|aix|wasm|wasi|musl|ia32|arm|ppc|s390|loong|riscv|mips|openharmony)/;

module.exports = {
  name: 'plugin-optional-fallback',
  factory: require => {
    const { structUtils } = require('@yarnpkg/core');
    return {
      hooks: {
        async reduceDependency(dependency, project, _locator, _initial, extra) {
          if (!dependency.range.startsWith('npm:')) return dependency;
          if (!PLATFORM.test(structUtils.stringifyIdent(dependency))) return dependency;
          const widened = structUtils.makeDescriptor(dependency, 'npm:*');
          if (project.storedResolutions.has(dependency.descriptorHash)) return dependency;
          if (project.storedResolutions.has(widened.descriptorHash)) return widened;
          try {
            const candidates = await extra.resolver.getCandidates(
              dependency,
              new Map(),
              extra.resolveOptions,
            );
            if (candidates.length > 0) return dependency;
          } catch {
            // no candidates: widen below
          }
          return widened;
        },
      },
    };
  },
};
