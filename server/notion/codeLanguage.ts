// Fenced-code info strings → Notion's code `language` enum (SDK 5.26 `LanguageRequest`).
// An unknown name becomes "plain text": Notion rejects values outside its enum.

export const codeLanguages = [
  'abap', 'abc', 'agda', 'arduino', 'ascii art', 'assembly', 'bash', 'basic', 'bnf', 'c', 'c#', 'c++',
  'clojure', 'coffeescript', 'coq', 'css', 'dart', 'dhall', 'diff', 'docker', 'ebnf', 'elixir', 'elm',
  'erlang', 'f#', 'flow', 'fortran', 'gherkin', 'glsl', 'go', 'graphql', 'groovy', 'haskell', 'hcl',
  'html', 'idris', 'java', 'javascript', 'json', 'julia', 'kotlin', 'latex', 'less', 'lisp', 'livescript',
  'llvm ir', 'lua', 'makefile', 'markdown', 'markup', 'matlab', 'mathematica', 'mermaid', 'nix',
  'notion formula', 'objective-c', 'ocaml', 'pascal', 'perl', 'php', 'plain text', 'powershell', 'prolog',
  'protobuf', 'purescript', 'python', 'r', 'racket', 'reason', 'ruby', 'rust', 'sass', 'scala', 'scheme',
  'scss', 'shell', 'smalltalk', 'solidity', 'sql', 'swift', 'toml', 'typescript', 'vb.net', 'verilog',
  'vhdl', 'visual basic', 'webassembly', 'xml', 'yaml', 'java/c/c++/c#',
] as const

export type CodeLanguage = (typeof codeLanguages)[number]

const known = new Set<string>(codeLanguages)

const aliases: Record<string, CodeLanguage> = {
  js: 'javascript', jsx: 'javascript', mjs: 'javascript', cjs: 'javascript', node: 'javascript',
  ts: 'typescript', tsx: 'typescript', mts: 'typescript', cts: 'typescript',
  py: 'python', py3: 'python', python3: 'python', ipython: 'python',
  sh: 'shell', zsh: 'shell', fish: 'shell', console: 'shell', shellsession: 'shell', ksh: 'shell',
  rb: 'ruby', rs: 'rust', golang: 'go',
  h: 'c', cpp: 'c++', cc: 'c++', cxx: 'c++', hpp: 'c++', hh: 'c++',
  cs: 'c#', csharp: 'c#', fs: 'f#', fsharp: 'f#',
  kt: 'kotlin', kts: 'kotlin', jsonc: 'json', json5: 'json', geojson: 'json',
  yml: 'yaml', svg: 'xml', xsd: 'xml', xsl: 'xml', htm: 'html', xhtml: 'html', vue: 'html',
  postgres: 'sql', postgresql: 'sql', psql: 'sql', mysql: 'sql', sqlite: 'sql', plsql: 'sql', tsql: 'sql',
  md: 'markdown', mdx: 'markdown', tex: 'latex', dockerfile: 'docker', containerfile: 'docker',
  make: 'makefile', mk: 'makefile', patch: 'diff', gql: 'graphql', hs: 'haskell',
  ex: 'elixir', exs: 'elixir', erl: 'erlang', clj: 'clojure', cljs: 'clojure', edn: 'clojure',
  pl: 'perl', pm: 'perl', ps1: 'powershell', pwsh: 'powershell', ps: 'powershell',
  vb: 'visual basic', vbnet: 'vb.net', objc: 'objective-c', ml: 'ocaml',
  txt: 'plain text', text: 'plain text', plain: 'plain text', plaintext: 'plain text', none: 'plain text',
  proto: 'protobuf', sol: 'solidity', wasm: 'webassembly', wat: 'webassembly', asm: 'assembly',
  nasm: 'assembly', jl: 'julia', gradle: 'groovy', tf: 'hcl', terraform: 'hcl', coffee: 'coffeescript',
  scm: 'scheme', rkt: 'racket', el: 'lisp', elisp: 'lisp', 'common-lisp': 'lisp', re: 'reason',
  sv: 'verilog', systemverilog: 'verilog', feature: 'gherkin', cucumber: 'gherkin', ino: 'arduino',
  html5: 'html', mma: 'mathematica', wolfram: 'mathematica', purs: 'purescript', mermaidjs: 'mermaid',
}

/** Maps the first word of a fence's info string to Notion's enum. */
export function mapCodeLanguage(info: string): CodeLanguage {
  const name = info.trim().split(/\s+/)[0]?.replace(/^\{?\.?/, '').replace(/\}$/, '').toLowerCase() ?? ''
  if (known.has(name)) return name as CodeLanguage
  return aliases[name] ?? 'plain text'
}
