// CPU accounting from /proc (Linux), so every phase can say how busy workerd
// was and how much of the machine something else used. Elsewhere it returns
// nulls and the bench prints "n/a".
import { readdirSync, readFileSync } from "node:fs";

const TICKS_PER_SECOND = 100; // USER_HZ; 100 on every Linux this runs on.

function readStat(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    // comm may contain spaces: fields restart after the closing parenthesis.
    const close = text.lastIndexOf(")");
    const comm = text.slice(text.indexOf("(") + 1, close);
    const fields = text.slice(close + 2).split(" ");
    return { comm, ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return null;
  }
}

/** workerd processes started by this node process (miniflare spawns one). */
export function findWorkerdPids() {
  let entries;
  try {
    entries = readdirSync("/proc");
  } catch {
    return [];
  }
  const pids = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(entry);
    if (stat && stat.ppid === process.pid && stat.comm.startsWith("workerd")) pids.push(Number(entry));
  }
  return pids;
}

export function threadCount(pid) {
  try {
    return readdirSync(`/proc/${pid}/task`).length;
  } catch {
    return null;
  }
}

function machineTicks() {
  try {
    const line = readFileSync("/proc/stat", "utf8").split("\n")[0];
    const values = line.trim().split(/\s+/).slice(1).map(Number);
    const idle = (values[3] ?? 0) + (values[4] ?? 0);
    const total = values.reduce((sum, v) => sum + v, 0);
    return { busy: total - idle, total };
  } catch {
    return null;
  }
}

/** A point-in-time sample; `cpuDelta(a, b)` turns two into seconds of CPU. */
export function cpuSample(workerdPids) {
  let workerd = 0;
  let workerdOk = workerdPids.length > 0;
  for (const pid of workerdPids) {
    const stat = readStat(pid);
    if (!stat) workerdOk = false;
    else workerd += stat.ticks;
  }
  const usage = process.cpuUsage();
  return {
    at: performance.now(),
    workerd: workerdOk ? workerd : null,
    client: (usage.user + usage.system) / 1e6,
    machine: machineTicks(),
  };
}

/**
 * Seconds of CPU used between two samples: by workerd, by this node process
 * (the load generator), and by everything else on the machine ("other", which
 * is noise from other jobs). Also the number of cores the machine has busy.
 */
export function cpuDelta(a, b) {
  const wall = (b.at - a.at) / 1000;
  const workerd = a.workerd !== null && b.workerd !== null ? (b.workerd - a.workerd) / TICKS_PER_SECOND : null;
  const client = b.client - a.client;
  let other = null;
  if (a.machine && b.machine) {
    const busy = (b.machine.busy - a.machine.busy) / TICKS_PER_SECOND;
    other = Math.max(0, busy - (workerd ?? 0) - client);
  }
  return { wall, workerd, client, other };
}
