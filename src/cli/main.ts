#!/usr/bin/env node
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { isSwitchboardError } from '../common/index.js';
import { loadConfig } from '../config/index.js';
import { writeWav } from '../media/index.js';
import { PromptTools, startServer } from '../app/index.js';
import { lintCommand } from './commands/lint.js';
import { simulateCommand } from './commands/simulate.js';
import { recordsCommand } from './commands/records.js';
import { voicemailsCommand } from './commands/voicemails.js';
import { callbacksCommand } from './commands/callbacks.js';

const USAGE = `usage: switchboard <command> [options]

commands:
  start [--config FILE]                       run the server (SIP, media, HTTP)
  lint <flow|dir>...                          check call flows: schema, references, unreachable nodes, dead ends
  simulate <flow> [--from N] [--to N] [--input "1,1234#,timeout"] [--at ISO-TIME]
                                              run a flow with text in and out, no phone needed
  records [ID] [--data-dir DIR] [--limit N] [--from NUMBER] [--flow NAME]
                                              list finished calls (newest first), or show one as JSON
  voicemails [ID] [--data-dir DIR] [--mailbox NAME] [--state S]
                                              list voicemails (newest first), or show one as JSON
  callbacks [ID] [--data-dir DIR] [--state pending|done] [--done ID]
                                              list callback requests, show one, or mark one done
  render-prompt NAME --out FILE [--config F]  write a prompt as callers hear it (e.g. demo/main: the main node of
                                              the demo flow) as an 8 kHz WAV
  prompts [--config FILE]                     list the prompts render-prompt knows

Configuration: a YAML/JSON file (--config or SWB_CONFIG) and SWB_* environment variables,
e.g. SWB_SIP_PORT=5070 SWB_HTTP_PORT=8081 SWB_RTP_PORT_MIN=30000.`;

async function main(argv: string[]): Promise<number> {
  // Flow tools take their own arguments and need no server configuration.
  if (argv[0] === 'lint') return lintCommand(argv.slice(1));
  if (argv[0] === 'simulate') return simulateCommand(argv.slice(1));
  if (argv[0] === 'records') return recordsCommand(argv.slice(1));
  if (argv[0] === 'voicemails') return voicemailsCommand(argv.slice(1));
  if (argv[0] === 'callbacks') return callbacksCommand(argv.slice(1));
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { config: { type: 'string' }, out: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    console.log(USAGE);
    return command || values.help ? 0 : 2;
  }
  const config = loadConfig({ file: values.config });
  switch (command) {
    case 'start': {
      const server = await startServer(config);
      let stopping = false;
      const stop = (signal: string) => {
        if (stopping) return;
        stopping = true;
        console.error(`switchboard: ${signal}, stopping`);
        server.stop().then(() => process.exit(0), () => process.exit(1));
        setTimeout(() => process.exit(1), 5000).unref();
      };
      process.on('SIGINT', () => stop('SIGINT'));
      process.on('SIGTERM', () => stop('SIGTERM'));
      return -1;
    }
    case 'render-prompt': {
      const name = rest[0];
      if (!name || !values.out) {
        console.error('render-prompt needs a NAME and --out FILE');
        return 2;
      }
      const tools = await PromptTools.open(config);
      try {
        const pcm = await tools.render(name);
        if (!pcm) {
          console.error(`unknown prompt "${name}"; known:\n  ${tools.names().join('\n  ')}`);
          return 2;
        }
        writeFileSync(values.out, writeWav(pcm, 8000));
        console.log(`${values.out}: ${Math.round(pcm.length / 8)} ms`);
        return 0;
      } finally {
        await tools.close();
      }
    }
    case 'prompts': {
      const tools = await PromptTools.open(config);
      console.log(tools.names().join('\n'));
      await tools.close();
      return 0;
    }
    default:
      console.error(`unknown command "${command}"\n\n${USAGE}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (e: unknown) => {
    if (isSwitchboardError(e)) console.error(`switchboard: ${e.message}`);
    else console.error(e);
    process.exit(1);
  },
);
