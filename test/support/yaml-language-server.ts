/**
 * A minimal Language Server Protocol client for yaml-language-server, the
 * server behind YAML support in VS Code and other editors: it opens documents
 * and collects the diagnostics an editor would underline.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

export interface Diagnostic {
  line: number; // 1-based, as tungen prints it
  column: number;
  message: string;
}

interface Message {
  id?: number;
  method?: string;
  params?: unknown;
  result?: unknown;
}

export class YamlLanguageServer {
  readonly #server: ChildProcessWithoutNullStreams;
  readonly #settings: object;
  readonly #pending = new Map<number, (result: unknown) => void>();
  readonly #waiting = new Map<string, (diagnostics: Diagnostic[]) => void>();
  #buffer = Buffer.alloc(0);
  #nextId = 0;
  #version = 0;

  /** Starts the server for a workspace folder; `schemas` maps a schema file to the globs it applies to. */
  static async start(workspace: string, schemas: Record<string, string[]>): Promise<YamlLanguageServer> {
    const server = new YamlLanguageServer(schemas);
    const root = pathToFileURL(workspace).href;
    await server.#request('initialize', {
      processId: process.pid,
      rootUri: root,
      workspaceFolders: [{ uri: root, name: 'workspace' }],
      capabilities: { workspace: { configuration: true } },
    });
    server.#send({ method: 'initialized', params: {} });
    server.#send({ method: 'workspace/didChangeConfiguration', params: { settings: server.#settings } });
    return server;
  }

  private constructor(schemas: Record<string, string[]>) {
    const bin = createRequire(import.meta.url).resolve('yaml-language-server/bin/yaml-language-server');
    this.#settings = {
      yaml: {
        validate: true,
        schemaStore: { enable: false },
        schemas: Object.fromEntries(Object.entries(schemas).map(([file, globs]) => [pathToFileURL(file).href, globs])),
      },
    };
    this.#server = spawn(process.execPath, [bin, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.#server.stdout.on('data', (chunk: Buffer) => this.#receive(chunk));
  }

  /**
   * The diagnostics of a document, as the server publishes them after opening it. Give each
   * document its own path: closing one publishes an empty list for it, which a later open
   * of the same path could take for its own.
   */
  diagnose(path: string, text: string): Promise<Diagnostic[]> {
    const uri = pathToFileURL(path).href;
    const published = new Promise<Diagnostic[]>((resolve) => this.#waiting.set(uri, resolve));
    this.#send({
      method: 'textDocument/didOpen',
      params: { textDocument: { uri, languageId: 'yaml', version: ++this.#version, text } },
    });
    return published.finally(() => this.#send({ method: 'textDocument/didClose', params: { textDocument: { uri } } }));
  }

  stop(): void {
    this.#server.kill();
  }

  #send(message: Message): void {
    const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', ...message }));
    this.#server.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
    this.#server.stdin.write(body);
  }

  #request(method: string, params: unknown): Promise<unknown> {
    const id = ++this.#nextId;
    this.#send({ id, method, params });
    return new Promise((resolve) => this.#pending.set(id, resolve));
  }

  #receive(chunk: Buffer): void {
    this.#buffer = Buffer.concat([this.#buffer, chunk]);
    for (;;) {
      const headerEnd = this.#buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const length = Number(/Content-Length: (\d+)/i.exec(this.#buffer.subarray(0, headerEnd).toString())?.[1]);
      if (this.#buffer.length < headerEnd + 4 + length) return;
      const message = JSON.parse(this.#buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString()) as Message;
      this.#buffer = this.#buffer.subarray(headerEnd + 4 + length);
      this.#handle(message);
    }
  }

  #handle(message: Message): void {
    if (message.id !== undefined && message.method) {
      // A request from the server: it asks for its settings; everything else gets an empty answer.
      const items = (message.params as { items?: Array<{ section?: string }> }).items ?? [];
      const settings = this.#settings as Record<string, unknown>;
      const result =
        message.method === 'workspace/configuration'
          ? items.map((item) => (item.section ? (settings[item.section] ?? null) : settings))
          : null;
      this.#send({ id: message.id, result });
    } else if (message.id !== undefined) {
      this.#pending.get(message.id)?.(message.result);
      this.#pending.delete(message.id);
    } else if (message.method === 'textDocument/publishDiagnostics') {
      const { uri, diagnostics } = message.params as {
        uri: string;
        diagnostics: Array<{ range: { start: { line: number; character: number } }; message: string }>;
      };
      const waiting = this.#waiting.get(uri);
      this.#waiting.delete(uri);
      waiting?.(
        diagnostics.map((d) => ({
          line: d.range.start.line + 1,
          column: d.range.start.character + 1,
          message: d.message,
        })),
      );
    }
  }
}
