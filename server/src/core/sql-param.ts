/**
 * Appends `value` to a query's parameter list and returns its placeholder (`$n`). The one way
 * this code numbers positional parameters: optional filters and the scope conditions
 * (scope.ts) push into the same list, so no query counts by hand. See CONTRIBUTING.md.
 */
export function param(params: unknown[], value: unknown): string {
  return `$${params.push(value)}`;
}
