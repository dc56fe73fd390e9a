/**
 * The `journey` command (bin/journey.js runs it): src/cli/program.ts holds the program; this
 * only runs it on the process's arguments and sets the exit code (see EXIT, exit-codes.ts).
 */
import { runJourney } from './program.js';

runJourney(process.argv.slice(2)).then((code) => { process.exitCode = code; });
