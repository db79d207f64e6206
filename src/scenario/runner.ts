export interface StepResult {
  step: string;
  ok: boolean;
  detail?: unknown;
  error?: string;
}

export interface StageResult {
  stage: string;
  steps: StepResult[];
}

/** Collects named steps; a step that throws or returns false fails without stopping the stage. */
export class Stage {
  readonly steps: StepResult[] = [];
  constructor(readonly name: string) {}

  async step(name: string, fn: () => Promise<unknown>): Promise<void> {
    try {
      const detail = await fn();
      if (detail === false) this.steps.push({ step: name, ok: false });
      else this.steps.push({ step: name, ok: true, ...(detail === true || detail === undefined ? {} : { detail }) });
    } catch (err) {
      this.steps.push({ step: name, ok: false, error: (err as Error).message });
    }
  }

  result(): StageResult {
    return { stage: this.name, steps: this.steps };
  }
}

export function expectStatus(r: { status: number; body: any }, status: number, what: string): void {
  if (r.status !== status) throw new Error(`${what}: expected HTTP ${status}, got ${r.status} ${r.body?.type ?? ''} ${r.body?.detail ?? ''}`.trim());
}
