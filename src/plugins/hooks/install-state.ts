/** Shared between the `plugins:preinstall` and `plugins:postinstall` hooks of one `ust plugins install` run. */
export const installState = {
  /** Plugins oclif knew before the install. */
  before: new Set<string>(),
  /** Package names asked for (npm installs; a file: or git URL has no name before it is installed). */
  requested: new Set<string>(),
}
