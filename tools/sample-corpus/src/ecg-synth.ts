// Synthetic 12-lead ECGs whose class shows in rhythm or morphology, as a cardiologist would read it:
// atrial fibrillation = irregular RR and no P waves; conduction disturbance = wide QRS with an RSR' in
// V1 and a long PR; hypertrophy = tall R in the lateral leads and deep S in V1–V2; myocardial infarction =
// pathological Q waves with ST elevation in a territory; ST/T change = lateral ST depression with T
// inversion. `signal` scales every abnormality (difficulty tier); noise and baseline wander are fixed.
import type { Prng } from './prng';

export type EcgClass = 'Normal' | 'Conduction Disturbance' | 'Hypertrophy' | 'Myocardial Infarction' | 'ST/T Change' | 'Atrial Fibrillation/Flutter';

// Lead order I II III aVR aVL aVF V1 … V6 (PTB-XL's order). Amplitudes in mV.
const P_AMPLITUDE = [0.08, 0.12, 0.05, -0.08, 0.04, 0.08, 0.05, 0.06, 0.06, 0.06, 0.06, 0.06];
const Q_AMPLITUDE = [-0.05, -0.05, -0.04, 0, -0.03, -0.04, 0, 0, -0.02, -0.04, -0.06, -0.06];
const R_AMPLITUDE = [0.6, 1.0, 0.5, -0.7, 0.3, 0.7, 0.2, 0.4, 0.7, 1.1, 1.3, 1.0];
const S_AMPLITUDE = [-0.1, -0.2, -0.2, 0, -0.1, -0.1, -0.9, -1.2, -0.8, -0.4, -0.2, -0.1];
const T_AMPLITUDE = [0.2, 0.3, 0.15, -0.2, 0.1, 0.2, 0.05, 0.3, 0.4, 0.4, 0.3, 0.25];

const LATERAL = [0, 4, 9, 10, 11];
const INFERIOR = [1, 2, 5];
const ANTERIOR = [6, 7, 8, 9];

export interface SynthesizedEcg {
  /** Per lead, in mV. */
  readonly leads: Float32Array[];
  readonly heartRate: number;
}

function gaussian(lead: Float32Array, center: number, width: number, amplitude: number, frequency: number): void {
  if (amplitude === 0) return;
  const from = Math.max(0, Math.floor((center - 4 * width) * frequency));
  const to = Math.min(lead.length - 1, Math.ceil((center + 4 * width) * frequency));
  for (let index = from; index <= to; index += 1) {
    const z = (index / frequency - center) / width;
    lead[index] += amplitude * Math.exp(-0.5 * z * z);
  }
}

export function synthesizeEcg(ecgClass: EcgClass, signal: number, prng: Prng, frequency = 500, seconds = 10): SynthesizedEcg {
  const length = frequency * seconds;
  const leads = Array.from({ length: 12 }, () => new Float32Array(length));
  const heartRate = ecgClass === 'Atrial Fibrillation/Flutter' ? prng.uniform(85, 120) : prng.uniform(58, 88);
  const meanRr = 60 / heartRate;
  const qrsWidth = 0.022 + (ecgClass === 'Conduction Disturbance' ? 0.016 * signal : 0) + prng.uniform(-0.002, 0.002);
  const pr = 0.15 + (ecgClass === 'Conduction Disturbance' ? 0.08 * signal : 0);
  const amplitudeScale = prng.uniform(0.8, 1.2);
  const infarctTerritory = prng.chance(0.5) ? INFERIOR : ANTERIOR;
  const rScale = R_AMPLITUDE.map((amplitude, lead) => {
    if (ecgClass === 'Hypertrophy' && LATERAL.includes(lead)) return amplitude * (1 + 1.6 * signal);
    return amplitude;
  });
  const sScale = S_AMPLITUDE.map((amplitude, lead) => (ecgClass === 'Hypertrophy' && (lead === 6 || lead === 7) ? amplitude * (1 + 1.4 * signal) : amplitude));
  const qScale = Q_AMPLITUDE.map((amplitude, lead) => (ecgClass === 'Myocardial Infarction' && infarctTerritory.includes(lead) ? amplitude - 0.45 * signal : amplitude));
  const tScale = T_AMPLITUDE.map((amplitude, lead) => {
    if (ecgClass === 'ST/T Change' && (LATERAL.includes(lead) || lead === 1)) return amplitude * (1 - 2.2 * signal);
    if (ecgClass === 'Hypertrophy' && LATERAL.includes(lead)) return amplitude * (1 - 0.8 * signal);
    return amplitude;
  });
  const stShift = T_AMPLITUDE.map((_, lead) => {
    if (ecgClass === 'Myocardial Infarction' && infarctTerritory.includes(lead)) return 0.25 * signal;
    if (ecgClass === 'ST/T Change' && (LATERAL.includes(lead) || lead === 1)) return -0.18 * signal;
    return 0;
  });

  let beat = prng.uniform(0.1, meanRr);
  while (beat < seconds - 0.05) {
    for (let lead = 0; lead < 12; lead += 1) {
      const trace = leads[lead];
      if (ecgClass !== 'Atrial Fibrillation/Flutter') gaussian(trace, beat - pr, 0.025, P_AMPLITUDE[lead] * amplitudeScale, frequency);
      gaussian(trace, beat - qrsWidth * 1.2, qrsWidth * 0.45, qScale[lead] * amplitudeScale, frequency);
      gaussian(trace, beat, qrsWidth * 0.5, rScale[lead] * amplitudeScale, frequency);
      gaussian(trace, beat + qrsWidth * 1.3, qrsWidth * 0.5, sScale[lead] * amplitudeScale, frequency);
      if (ecgClass === 'Conduction Disturbance' && lead === 6) gaussian(trace, beat + qrsWidth * 2.4, qrsWidth * 0.5, 0.5 * signal * amplitudeScale, frequency);
      // The ST segment (J point to T onset) sits above or below the baseline.
      if (stShift[lead] !== 0) gaussian(trace, beat + 0.14, 0.06, stShift[lead] * amplitudeScale, frequency);
      gaussian(trace, beat + 0.1 + 0.18 * Math.sqrt(meanRr), 0.045, tScale[lead] * amplitudeScale, frequency);
    }
    // Atrial fibrillation: RR intervals irregularly irregular; otherwise a sinus rhythm with small variability.
    const rr = ecgClass === 'Atrial Fibrillation/Flutter' ? meanRr * (1 + (0.1 + 0.3 * signal) * (prng.next() * 2 - 1)) : meanRr * (1 + 0.03 * prng.normal());
    beat += Math.max(0.3, rr);
  }

  const wanderPhase = prng.uniform(0, 2 * Math.PI);
  const wanderFrequency = prng.uniform(0.15, 0.4);
  const fibrillation = ecgClass === 'Atrial Fibrillation/Flutter' ? 0.05 * signal : 0;
  const fibrillationFrequency = prng.uniform(5, 7);
  for (let lead = 0; lead < 12; lead += 1) {
    const trace = leads[lead];
    const leadPhase = prng.uniform(0, 2 * Math.PI);
    for (let index = 0; index < length; index += 1) {
      const time = index / frequency;
      trace[index] +=
        0.08 * Math.sin(2 * Math.PI * wanderFrequency * time + wanderPhase + lead * 0.3) +
        fibrillation * Math.sin(2 * Math.PI * fibrillationFrequency * time + leadPhase) +
        0.015 * prng.normal();
    }
  }
  return { leads, heartRate };
}

/** mV to digital units at `gain` units per mV (PTB-XL and the 2021 challenge: 1000/mV). */
export function toDigital(trace: Float32Array, gain = 1000): Int16Array {
  const out = new Int16Array(trace.length);
  for (let index = 0; index < trace.length; index += 1) out[index] = Math.max(-32768, Math.min(32767, Math.round(trace[index] * gain)));
  return out;
}

/** Averages each run of `factor` samples (500 Hz → 100 Hz for PTB-XL's records100). */
export function decimate(trace: Float32Array, factor: number): Float32Array {
  const out = new Float32Array(Math.floor(trace.length / factor));
  for (let index = 0; index < out.length; index += 1) {
    let sum = 0;
    for (let offset = 0; offset < factor; offset += 1) sum += trace[index * factor + offset];
    out[index] = sum / factor;
  }
  return out;
}
