// JobJournal on SQLite (better-sqlite3): the jobs, job_steps and audit_log tables as extended by migration 20.

import type Database from 'better-sqlite3';
import type { AuditFilter, JobFilter, JobJournal, JournalJob, JournalStep, NewJournalJob, StepStart } from './job-journal';
import type { AuditRecord, StepState } from './store';

type Row = Record<string, any>;

const now = () => new Date().toISOString();
const json = (v: unknown) => (v === null || v === undefined ? null : JSON.stringify(v));
const parse = (s: string | null) => (s === null ? null : JSON.parse(s));

const toStep = (r: Row): JournalStep => ({
  seq: r.seq, index: r.step_index, phase: r.step_phase, name: r.name, device: r.device, state: r.state, attempt: r.attempt,
  detail: r.detail, output: parse(r.output), startedAt: r.started_at, finishedAt: r.finished_at,
});

const toAudit = (r: Row): AuditRecord => ({
  at: r.at, who: r.who, what: r.what, device: r.device, before: parse(r.before), after: parse(r.after), result: r.result, jobId: r.job_id,
});

/** `WHERE a = ? AND b = ?` for the filter fields that are set, with their values. */
function where(fields: Record<string, string | undefined>): { sql: string; values: string[] } {
  const set = Object.entries(fields).filter(([, v]) => v !== undefined && v !== '');
  return { sql: set.length === 0 ? '' : `WHERE ${set.map(([c]) => `${c} = ?`).join(' AND ')}`, values: set.map(([, v]) => v!) };
}

/** Appends one audit record; callers that change a port in the same transaction (SqliteStore.recordChange) share it. */
export function insertAudit(db: Database.Database, a: AuditRecord): void {
  db.prepare('INSERT INTO audit_log (at, who, what, device, before, after, result, job_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
    .run(a.at, a.who, a.what, a.device, json(a.before), json(a.after), a.result, a.jobId);
}

export class SqliteJobJournal implements JobJournal {
  constructor(private readonly db: Database.Database) {}

  async createJob(job: NewJournalJob): Promise<void> {
    this.db.prepare("INSERT INTO jobs (id, kind, state, input, who, created_at, deadline) VALUES (?, ?, 'running', ?, ?, ?, ?)")
      .run(job.id, job.kind, JSON.stringify(job.input ?? null), job.who, now(), job.deadline);
  }

  async startStep(jobId: string, s: StepStart): Promise<number> {
    return this.db.transaction(() => {
      const existing = this.db.prepare('SELECT seq FROM job_steps WHERE job_id = ? AND step_index = ? AND step_phase = ?').get(jobId, s.index, s.phase) as Row | undefined;
      if (existing) {
        this.db.prepare("UPDATE job_steps SET state = 'running', attempt = ?, device = ?, detail = '', finished_at = NULL, started_at = ? WHERE job_id = ? AND seq = ?")
          .run(s.attempt, s.device, now(), jobId, existing.seq);
        return existing.seq as number;
      }
      const seq = ((this.db.prepare('SELECT MAX(seq) AS s FROM job_steps WHERE job_id = ?').get(jobId) as Row).s ?? 0) + 1;
      this.db.prepare(`INSERT INTO job_steps (job_id, seq, step_index, step_phase, name, device, state, attempt, started_at)
        VALUES (?, ?, ?, ?, ?, ?, 'running', ?, ?)`).run(jobId, seq, s.index, s.phase, s.name, s.device, s.attempt, now());
      return seq;
    })();
  }

  async noteStep(jobId: string, seq: number, detail: string): Promise<void> {
    this.db.prepare('UPDATE job_steps SET detail = ? WHERE job_id = ? AND seq = ?').run(detail, jobId, seq);
  }

  async finishStep(jobId: string, seq: number, state: StepState, detail: string, output?: unknown): Promise<void> {
    this.db.prepare('UPDATE job_steps SET state = ?, detail = ?, output = ?, finished_at = ? WHERE job_id = ? AND seq = ?')
      .run(state, detail, json(output), now(), jobId, seq);
  }

  async markUndone(jobId: string, index: number): Promise<void> {
    this.db.prepare("UPDATE job_steps SET state = 'undone' WHERE job_id = ? AND step_index = ? AND step_phase = 'do'").run(jobId, index);
  }

  async beginCompensation(jobId: string, reason: string): Promise<void> {
    this.db.prepare("UPDATE jobs SET phase = 'compensating', error = COALESCE(error, ?) WHERE id = ?").run(reason, jobId);
  }

  async requestCancel(jobId: string, reason: string): Promise<JournalJob | undefined> {
    this.db.prepare("UPDATE jobs SET cancel_requested = COALESCE(cancel_requested, ?) WHERE id = ? AND state IN ('pending', 'running')").run(reason, jobId);
    return this.getJob(jobId);
  }

  async finishJob(jobId: string, state: 'succeeded' | 'failed', error: string | null): Promise<void> {
    this.db.prepare('UPDATE jobs SET state = ?, error = ?, finished_at = ? WHERE id = ?').run(state, error, now(), jobId);
  }

  async getJob(id: string): Promise<JournalJob | undefined> {
    const r = this.db.prepare('SELECT * FROM jobs WHERE id = ?').get(id) as Row | undefined;
    return r && this.toJob(r);
  }

  async listJobs(filter: JobFilter): Promise<JournalJob[]> {
    const w = where({ kind: filter.kind, state: filter.state, who: filter.who });
    return this.db.prepare(`SELECT * FROM jobs ${w.sql} ORDER BY created_at DESC, rowid DESC LIMIT ?`).all(...w.values, filter.limit).map((r) => this.toJob(r as Row));
  }

  async listUnfinished(): Promise<JournalJob[]> {
    return this.db.prepare("SELECT * FROM jobs WHERE state IN ('pending', 'running') ORDER BY created_at, rowid").all().map((r) => this.toJob(r as Row));
  }

  async appendAudit(a: AuditRecord): Promise<void> {
    insertAudit(this.db, a);
  }

  async listAudit(filter: AuditFilter): Promise<AuditRecord[]> {
    const w = where({ device: filter.device, job_id: filter.jobId, who: filter.who });
    return this.db.prepare(`SELECT * FROM audit_log ${w.sql} ORDER BY id DESC LIMIT ?`).all(...w.values, filter.limit).map((r) => toAudit(r as Row));
  }

  private toJob(r: Row): JournalJob {
    const steps = this.db.prepare('SELECT * FROM job_steps WHERE job_id = ? ORDER BY seq').all(r.id).map((s) => toStep(s as Row));
    return {
      id: r.id, kind: r.kind, state: r.state, phase: r.phase, error: r.error, input: parse(r.input), who: r.who,
      cancelRequested: r.cancel_requested, createdAt: r.created_at, finishedAt: r.finished_at, deadline: r.deadline, steps,
    };
  }
}
