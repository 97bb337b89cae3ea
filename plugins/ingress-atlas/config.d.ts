export interface Config {
  ingressAtlas?: {
    /**
     * Where `docs/findings.md` is published (e.g. its page in the project's repository); each
     * finding links to its code's section there. Without it, findings link to their code's page
     * on the atlas's findings tab (`/ingress-atlas/findings/<CODE>`), which says the same.
     *
     * @visibility frontend
     */
    findingsDocsUrl?: string;
    /**
     * How often, in seconds, an open atlas page or Ingress tab asks whether the atlas has a
     * newer model, and reloads what it shows when it has. Default 30; 0 turns it off.
     *
     * @visibility frontend
     */
    followChangesSeconds?: number;
  };
}
