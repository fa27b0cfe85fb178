// Issue 19's targets, judged from one run's figures: HTTPS where the run has it (the real CDN is HTTPS),
// else plain HTTP. Each line says the figure, the target and met / missed, so BENCHMARKS.md can quote it.
import type { MainThreadResult } from './main-thread.js'

export interface TargetRow {
  scenario: string
  transport: string
  contender: string
  mbps: number
  cpuSPerGB: number
  maxRssMB: number
}

export function targetLines(rows: TargetRow[], mainThread: MainThreadResult | undefined): string[] {
  const transport = rows.some((r) => r.transport === 'https') ? 'https' : 'http'
  const row = (scenario: string, contender: string) => rows.find((r) => r.scenario === scenario && r.contender === contender && r.transport === transport)
  const lines: string[] = []
  const judge = (what: string, value: number | undefined, target: string, ok: (v: number) => boolean, unit = '×', digits = 2) => {
    if (value === undefined || !Number.isFinite(value)) return
    lines.push(`- ${what}: ${value.toFixed(digits)}${unit} (target ${target}): ${ok(value) ? 'met' : 'missed'}`)
  }
  const speed = (scenario: string, peer: string) => {
    const a = row(scenario, 'hfx')
    const b = row(scenario, peer)
    return a && b ? a.mbps / b.mbps : undefined
  }
  const cpu = (scenario: string) => {
    const a = row(scenario, 'hfx')
    const b = row(scenario, 'aria2c')
    return a && b ? a.cpuSPerGB / b.cpuSPerGB : undefined
  }
  judge('b-d hfx vs aria2c -x16 (CDN-like link, one 4 GiB file)', speed('b-d', 'aria2c'), '≥ 1.10×', (v) => v >= 1.1)
  judge('b-e hfx vs aria2c -x16 (CDN-like link, four 1 GiB shards)', speed('b-e', 'aria2c'), '≥ 1.10×', (v) => v >= 1.1)
  judge('a-d hfx verified vs curl unverified (loopback, one 4 GiB file)', speed('a-d', 'curl'), '≥ 0.85×', (v) => v >= 0.85)
  for (const s of ['a-d', 'b-d', 'b-e']) judge(`${s} hfx CPU per GB vs aria2c's`, cpu(s), '≤ 1.20×', (v) => v <= 1.2)
  if (mainThread) {
    judge(`busiest thread with receive threads (${mainThread.receiving.busiest}), CPU s per GB`, mainThread.receiving.busiestSPerGB, '≤ 1.00', (v) => v <= 1, '')
  }
  for (const s of ['a-d', 'b-d', 'b-e']) judge(`${s} hfx peak RSS, MB`, row(s, 'hfx')?.maxRssMB, '≤ 150', (v) => v <= 150, '', 0)
  return lines.length ? [`targets (${transport.toUpperCase()}):`, ...lines] : []
}
