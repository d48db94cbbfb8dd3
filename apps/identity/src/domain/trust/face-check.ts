// Face comparison against the registry photo (real person, trust level 3). The real adapter sends
// a liveness-checked capture to the provider; the development one runs locally and decides from
// the sample itself, so tests and demos can produce both outcomes.
export interface FaceCheckResult {
  match: boolean;
  /** Provider's similarity score, 0–1. */
  score: number;
}

export interface FaceCheck {
  compare(idNumber: string, name: string, sample: string): Promise<FaceCheckResult>;
}

/** Development face check: the sample "dev-face:match" matches, anything else does not. */
export class DevelopmentFaceCheck implements FaceCheck {
  static readonly MATCHING_SAMPLE = 'dev-face:match';

  async compare(_idNumber: string, _name: string, sample: string): Promise<FaceCheckResult> {
    return sample === DevelopmentFaceCheck.MATCHING_SAMPLE
      ? { match: true, score: 0.97 }
      : { match: false, score: 0.12 };
  }
}
