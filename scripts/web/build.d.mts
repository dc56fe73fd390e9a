/** Types of build.mjs, for the tests that build the explorer before serving it. */
export function sourceHash(): string;
/** Builds web/ into web/dist unless it is current; resolves true when it built. */
export function buildExplorer(options?: { force?: boolean; quiet?: boolean }): Promise<boolean>;
