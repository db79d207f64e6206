// The defender head start (issue 7): per reviewed model, the operators its advisories affect and the
// share patched before the model's public release. Coordinators see who is still exposed; readers of
// the model (its developer, agencies with a grant) see numbers only; the public sees an aggregate of
// released models through the transparency report.
import { and, gte, lt, lte } from 'drizzle-orm';
import type { DbOrTx } from '../../../db/client.ts';
import { ForbiddenError, NotFoundError } from '../../../lib/errors.ts';
import type { Actor } from '../../access/actor.ts';
import { clearedFor, readableBy } from '../../access/access.sql.ts';
import { CUI } from '../../access/marking.ts';
import { models } from '../../models/models.schema.ts';
import { can, type Subject } from '../../access/policy.ts';
import { MODEL_READ_RULE } from '../../models/models.service.ts';
import { MODEL_RECORD, modelMarkedColumns } from '../../models/models.dal.ts';
import type { ModuleDeps } from '../../../server/module-deps.ts';
import type { JobDefinition } from '../../jobs/queue.ts';
import { advisoriesOfModels, matchesOf, remediationDecisions, reviewedModels, type ModelAdvisory, type ReviewedModel } from './head-start.dal.ts';
import { aggregateHeadStarts, computeHeadStart, exposureRecords, publicHeadStart, type HeadStart } from './head-start.fns.ts';

/** The transparency report's default: at least three organisations behind each published number. */
export const DEFAULT_PUBLIC_THRESHOLD = 3;

type Reach = { coordinator: boolean; reader: boolean };

/** Who may look: coordinators in full, readers of models as numbers. Operators and others may not. */
function reachOf(subject: Subject): Reach {
  const reach = { coordinator: can(subject, 'clearinghouse:coordinate') || can(subject, 'advisories:publish'), reader: can(subject, 'models:read') };
  if (!reach.coordinator && !reach.reader) throw new ForbiddenError('The defender head start is for clearinghouse coordinators and readers of models.');
  return reach;
}

function advisoryView(a: ModelAdvisory, affected: number, coordinator: boolean) {
  // Beyond coordinators, only a TLP:CLEAR advisory is named: the others' audiences are restricted.
  const named = coordinator || a.tlp === 'CLEAR';
  return { id: a.id, trackingId: named ? a.trackingId : null, severity: named ? a.severity : null, tlp: a.tlp, publishedAt: a.publishedAt?.toISOString() ?? null, affected };
}

export function createHeadStartService({ db, audit, clock }: ModuleDeps) {

  /** Each model's head start, its advisories and the operators' names, computed from one read. */
  async function compute(tx: DbOrTx, list: ReviewedModel[], now: Date) {
    const advs = await advisoriesOfModels(
      tx,
      list.map((m) => m.id),
    );
    const matchingIds = [...new Set(advs.map((a) => a.matchingAdvisoryId))];
    const matches = await matchesOf(tx, matchingIds);
    const decisions = await remediationDecisions(tx, matchingIds);
    const names = new Map(matches.map((m) => [m.operatorId, m.operatorName]));
    return list.map((model) => {
      const mine = advs.filter((a) => a.modelId === model.id);
      const ids = new Set(mine.map((a) => a.matchingAdvisoryId));
      const records = exposureRecords(
        matches.filter((m) => ids.has(m.advisoryId)),
        decisions.filter((d) => ids.has(d.advisoryId)),
      );
      const perAdvisory = new Map<string, number>();
      for (const a of mine) perAdvisory.set(a.id, new Set(matches.filter((m) => m.advisoryId === a.matchingAdvisoryId).map((m) => m.operatorId)).size);
      return { model, advisories: mine, perAdvisory, headStart: computeHeadStart(records, model.plannedReleaseAt, now), names };
    });
  }

  async function visibleModels(tx: DbOrTx, subject: Subject, reach: Reach, now: Date, ids?: string[]) {
    // A coordinator sees the head start of every reviewed model it is cleared for, whoever owns it;
    // a model above its clearance does not exist for it.
    const all = await reviewedModels(tx, clearedFor(subject, models), ids);
    const readable = reach.reader ? new Set((await reviewedModels(tx, readableBy(subject, modelMarkedColumns, MODEL_RECORD, MODEL_READ_RULE, now), ids)).map((m) => m.id)) : new Set<string>();
    return { models: reach.coordinator ? all : all.filter((m) => readable.has(m.id)), readable };
  }

  function summary(model: ReviewedModel, h: HeadStart, advisories: number, readable: boolean) {
    return {
      // A coordinator who may not read the model itself sees a reference, not the developer's name for it.
      model: {
        id: model.id,
        label: readable ? `${model.name} ${model.version}` : `Model ${model.id.slice(0, 8)}`,
        developer: readable ? model.developer : null,
        releaseAt: h.releaseAt.toISOString(),
        released: h.released,
      },
      advisories,
      affected: h.affected,
      patchedBeforeRelease: h.patchedBeforeRelease,
      share: h.share,
      patchedNow: h.patchedNow,
    };
  }

  async function list(actor: Actor, subject: Subject) {
    const reach = reachOf(subject);
    const now = clock();
    return db.transaction(async (tx) => {
      const { models, readable } = await visibleModels(tx, subject, reach, now);
      const computed = await compute(tx, models, now);
      // The list names the models the reader may read: the event carries the highest of their markings.
      const named = models.filter((m) => readable.has(m.id));
      const marking = { classification: Math.max(0, ...named.map((m) => m.classification)), compartments: [...new Set(named.flatMap((m) => m.compartments))] };
      await audit.record(tx, { actor, action: 'head_start.list', recordType: MODEL_RECORD, marking, detail: { models: models.length } });
      return { coordinator: reach.coordinator, items: computed.map((c) => summary(c.model, c.headStart, c.advisories.length, readable.has(c.model.id))) };
    });
  }

  async function get(actor: Actor, subject: Subject, modelId: string) {
    const reach = reachOf(subject);
    const now = clock();
    return db.transaction(async (tx) => {
      const { models, readable } = await visibleModels(tx, subject, reach, now, [modelId]);
      const [c] = await compute(tx, models, now);
      if (!c) throw new NotFoundError('model');
      const h = c.headStart;
      await audit.record(tx, {
        actor,
        action: 'head_start.read',
        recordType: MODEL_RECORD,
        recordId: c.model.id,
        marking: { classification: c.model.classification, compartments: c.model.compartments },
        ownerOrgId: c.model.ownerOrgId,
        detail: { coordinator: reach.coordinator, affected: h.affected },
      });
      return {
        ...summary(c.model, h, c.advisories.length, readable.has(c.model.id)),
        bySector: h.bySector,
        series: h.series.map((p) => ({ ...p, at: p.at.toISOString() })),
        advisoryList: c.advisories.map((a) => advisoryView(a, c.perAdvisory.get(a.id) ?? 0, reach.coordinator)),
        unpatched: reach.coordinator
          ? h.unpatched.map((o) => ({ orgId: o.operatorId, orgName: c.names.get(o.operatorId) ?? '', sector: o.sector, firstMatchedAt: o.firstMatchedAt.toISOString(), openRecords: o.openRecords }))
          : null,
      };
    });
  }

  /**
   * The unclassified aggregate for the transparency report: counts over models released in the
   * window (all released models by default), by sector, with small-cell suppression (at least
   * `threshold` developers and operators behind each published number). No model, operator or
   * advisory is named. No subject: the report is public.
   */
  async function aggregateForTransparency(opts: { threshold?: number; releasedFrom?: Date; releasedTo?: Date } = {}) {
    const now = clock();
    const threshold = Math.max(1, opts.threshold ?? DEFAULT_PUBLIC_THRESHOLD);
    const inWindow = (m: ReviewedModel) => (!opts.releasedFrom || m.plannedReleaseAt >= opts.releasedFrom) && (!opts.releasedTo || m.plannedReleaseAt < opts.releasedTo);
    // Only models marked at most CUI count, as everywhere in the report: a classified model's existence is not public.
    const window = and(lte(models.classification, CUI), opts.releasedFrom ? gte(models.plannedReleaseAt, opts.releasedFrom) : undefined, opts.releasedTo ? lt(models.plannedReleaseAt, opts.releasedTo) : undefined);
    const computed = await compute(db, (await reviewedModels(db, window)).filter(inWindow), now);
    const counted = computed.filter((c) => c.headStart.released && c.headStart.affected > 0);
    const developers = new Set(counted.map((c) => c.model.ownerOrgId)).size;
    return publicHeadStart(aggregateHeadStarts(counted.map((c) => c.headStart)), developers, threshold);
  }

  return {
    list,
    get,
    aggregateForTransparency,
    jobs: [] as JobDefinition[],
    startup: async () => {},
  };
}

export type HeadStartService = ReturnType<typeof createHeadStartService>;
