// Preloaded with `node --import` into a tungen run under test: at exit it writes the
// process's own CPU time and peak memory to TUNGEN_RESOURCE_REPORT, figures that do
// not depend on how busy the machine is (wall time does).
import { writeFileSync } from 'node:fs';

const report = process.env['TUNGEN_RESOURCE_REPORT'];
if (report) process.on('exit', () => writeFileSync(report, JSON.stringify(process.resourceUsage())));
