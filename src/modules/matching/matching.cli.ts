// `forewarn osv import FILE …` (issue 7). Stub until it lands.
export async function osvCommand(args: string[]): Promise<number> {
  void args;
  console.error('forewarn osv import: not built yet');
  return 2;
}
