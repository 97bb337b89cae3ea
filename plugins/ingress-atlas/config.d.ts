export interface Config {
  ingressAtlas?: {
    /**
     * Where `docs/findings.md` is published (e.g. its page in the project's repository); each
     * finding links to its code's section there. Without it, findings link to no docs.
     *
     * @visibility frontend
     */
    findingsDocsUrl?: string;
  };
}
