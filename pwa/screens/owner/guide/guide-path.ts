/** Where the owner's first-run guide lives (kept apart so the home card need not load it). */
export const GUIDE_PATH = '/primeiros-passos';
