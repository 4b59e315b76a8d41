/** Full references of the work each study reproduces or builds on, shared by reports and docs. */

export interface Reference {
  readonly authors: string;
  readonly year: number;
  readonly title: string;
  readonly venue: string;
  /** arXiv id or DOI, when there is one. */
  readonly id?: string;
}

export const REFERENCES = {
  huangJiaZhou2024: {
    authors: 'Yilie Huang, Yanwei Jia, Xun Yu Zhou',
    year: 2024,
    title:
      'Sublinear Regret for An Actor–Critic Algorithm in Continuous-Time Linear–Quadratic Reinforcement Learning',
    venue: 'preprint',
    id: 'arXiv:2407.17226',
  },
  abergelHurePham2020: {
    authors: 'Frédéric Abergel, Côme Huré, Huyên Pham',
    year: 2020,
    title: 'Algorithmic trading in a microstructural limit order book model',
    venue: 'Quantitative Finance 20(8), 1263–1283',
    id: 'arXiv:1705.01446',
  },
  huangLehalleRosenbaum2015: {
    authors: 'Weibing Huang, Charles-Albert Lehalle, Mathieu Rosenbaum',
    year: 2015,
    title: 'Simulating and analyzing order book data: the queue-reactive model',
    venue: 'Journal of the American Statistical Association 110(509), 107–122',
    id: 'arXiv:1312.0563',
  },
  watkinsDayan1992: {
    authors: 'Christopher J. C. H. Watkins, Peter Dayan',
    year: 1992,
    title: 'Q-learning',
    venue: 'Machine Learning 8, 279–292',
    id: 'doi:10.1007/BF00992698',
  },
  bertsimasLo1998: {
    authors: 'Dimitris Bertsimas, Andrew W. Lo',
    year: 1998,
    title: 'Optimal control of execution costs',
    venue: 'Journal of Financial Markets 1(1), 1–50',
    id: 'doi:10.1016/S1386-4181(97)00012-8',
  },
  almgrenChriss2000: {
    authors: 'Robert Almgren, Neil Chriss',
    year: 2000,
    title: 'Optimal execution of portfolio transactions',
    venue: 'Journal of Risk 3(2), 5–39',
  },
  nevmyvakaFengKearns2006: {
    authors: 'Yuriy Nevmyvaka, Yi Feng, Michael Kearns',
    year: 2006,
    title: 'Reinforcement learning for optimized trade execution',
    venue: 'Proceedings of the 23rd International Conference on Machine Learning (ICML), 673–680',
    id: 'doi:10.1145/1143844.1143929',
  },
} as const satisfies Record<string, Reference>;

/** One reference as a Markdown line: authors (year). *Title*. Venue. id. */
export function citation(r: Reference): string {
  return `${r.authors} (${r.year}). *${r.title}*. ${r.venue}.${r.id ? ` ${r.id}.` : ''}`;
}
