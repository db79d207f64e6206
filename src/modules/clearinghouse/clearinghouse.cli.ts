// `forewarn report submit FILE …` (issue 6). Stub until it lands.
export async function reportCommand(args: string[]): Promise<number> {
  void args;
  console.error('forewarn report submit: not built yet');
  return 2;
}
