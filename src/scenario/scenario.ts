export async function runScenario(_opts: { json: boolean }): Promise<number> {
  console.log('scenario: 0 passed, 0 failed');
  return 0;
}
