import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** One labelled complaint text: the organisation (agency code) and category it belongs to. */
export interface LabelledText {
  agency: string;
  category: string;
  text: string;
}

const CORPUS = join(dirname(fileURLToPath(import.meta.url)), 'data', 'labelled-complaints.txt');

/** The labelled texts shipped with Foad: the evaluation set, and the model's start before operators teach it. */
export function loadCorpus(path = CORPUS): LabelledText[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() && !line.startsWith('#'))
    .map((line) => {
      const [agency, category, ...text] = line.split('|');
      return { agency: agency!.trim(), category: category!.trim(), text: text.join('|').trim() };
    });
}
