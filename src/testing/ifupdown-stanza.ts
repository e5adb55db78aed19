/** A reader for the interfaces(5) stanzas tungen writes: `auto`, `iface` and indented option lines. */

export interface StanzaOption {
  key: string;
  words: string[];
  line: number;
}

export interface Stanza {
  name: string;
  family: string;
  method: string;
  auto: boolean;
  options: StanzaOption[];
}

export function parseStanzas(text: string): { stanzas: Stanza[]; problems: string[] } {
  const stanzas: Stanza[] = [];
  const problems: string[] = [];
  const autos = new Set<string>();
  const lines = text.split('\n');
  if (!text.endsWith('\n')) problems.push('does not end with a newline');
  else lines.pop();
  lines.forEach((raw, index) => {
    const line = index + 1;
    if (/[\r\t\v\f]/.test(raw)) problems.push(`line ${line}: control character`);
    if (raw.trim() === '' || raw.startsWith('#')) return;
    const words = raw.trim().split(/ +/);
    if (/^\s/.test(raw)) {
      const current = stanzas.at(-1);
      if (!current) problems.push(`line ${line}: option outside an iface stanza`);
      else current.options.push({ key: words[0]!, words: words.slice(1), line });
      return;
    }
    if (words[0] === 'auto' && words.length === 2) autos.add(words[1]!);
    else if (words[0] === 'iface' && words.length === 4) {
      stanzas.push({ name: words[1]!, family: words[2]!, method: words[3]!, auto: false, options: [] });
    } else problems.push(`line ${line}: not an auto, iface or option line: ${JSON.stringify(raw)}`);
  });
  for (const stanza of stanzas) stanza.auto = autos.has(stanza.name);
  return { stanzas, problems };
}

/** The arguments after `ip link add name NAME` of a manual stanza, or undefined for ifupdown's own methods. */
export function ipLinkAddArgs(stanza: Stanza): string[] | undefined {
  const option = stanza.options.find((o) => o.key === 'pre-up' && o.words.slice(0, 4).join(' ') === 'ip link add name');
  return option?.words.slice(5);
}
