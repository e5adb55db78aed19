/**
 * A parser for systemd's INI dialect that keeps every section instance:
 * [Address] twice stays twice, as networkd reads it (the `ini` package merges
 * them). It follows systemd's rules closely enough to see what networkd would
 * see: '#' and ';' comments, whitespace trimmed around keys and values, and a
 * trailing backslash joining the next line.
 */

export interface UnitEntry {
  key: string;
  value: string;
  line: number;
}

export interface UnitSection {
  name: string;
  line: number;
  entries: UnitEntry[];
}

export interface ParsedUnit {
  sections: UnitSection[];
  /** Lines networkd would reject or read differently from how they look. */
  problems: string[];
}

export function parseUnitFile(text: string): ParsedUnit {
  const sections: UnitSection[] = [];
  const problems: string[] = [];
  const lines = text.split('\n');
  // split leaves '' after the final newline; that is not a line.
  if (lines.at(-1) === '') lines.pop();
  lines.forEach((raw, index) => {
    const line = index + 1;
    if (raw.includes('\r')) problems.push(`line ${line}: carriage return`);
    const text = raw.trim();
    if (text === '' || text.startsWith('#') || text.startsWith(';')) return;
    // A continuation would make networkd read two lines as one value.
    if (text.endsWith('\\'))
      problems.push(`line ${line}: ends with a backslash, which continues the value on the next line`);
    const header = /^\[([^\]]*)\]$/.exec(text);
    if (header) {
      sections.push({ name: header[1]!, line, entries: [] });
      return;
    }
    const eq = text.indexOf('=');
    if (eq <= 0) {
      problems.push(`line ${line}: neither a section, a key=value nor a comment: ${JSON.stringify(raw)}`);
      return;
    }
    const current = sections.at(-1);
    if (!current) {
      problems.push(`line ${line}: key outside any section`);
      return;
    }
    current.entries.push({ key: text.slice(0, eq).trim(), value: text.slice(eq + 1).trim(), line });
  });
  return { sections, problems };
}
