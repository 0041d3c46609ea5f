/** Every value a command line gives option `name` (`--name value` or `--name=value`), in order: what the stand-in CLIs parse. */
export function optionValues(args: string[], name: string): string[] {
  return args.flatMap((a, i) => (a === name ? [args[i + 1]] : a.startsWith(`${name}=`) ? [a.slice(name.length + 1)] : []));
}
