/**
 * Where a debtor is, as the collector's screens show it: the area (bairro, else city), the
 * distance from the phone when both ends are known, a map link for one address and the day's
 * route as one link to the phone's map app. Pure: no DOM, no clock.
 *
 * Map links are Google Maps URLs (https://developers.google.com/maps/documentation/urls): one
 * syntax that opens the Maps app on Android and iOS and the site elsewhere, no key. A route takes
 * at most ROUTE_STOPS stops (the destination and up to nine waypoints); the next stops come in
 * the next route once these are visited (they leave the "Visitar" group of Today).
 */

export interface PlainAddress {
  street?: unknown;
  number?: unknown;
  complement?: unknown;
  district?: unknown;
  city?: unknown;
  state?: unknown;
  postalCode?: unknown;
}

export interface LatLng {
  lat: number;
  lng: number;
}

const s = (value: unknown): string => (typeof value === 'string' ? value.trim() : '');

/** The address as the record holds it, or null when it is not an object. */
export function addressOf(data: Record<string, unknown>): PlainAddress | null {
  const a = data['address'];
  return a !== null && typeof a === 'object' ? (a as PlainAddress) : null;
}

/** "Centro" (the bairro), else the city, else "". */
export function areaOf(address: PlainAddress | null): string {
  if (!address) return '';
  return s(address.district) || s(address.city);
}

/** "Rua A, 12 - Centro, Campinas - SP, 13010-000": one line, the way a map search reads it. */
export function addressLine(address: PlainAddress | null): string {
  if (!address) return '';
  const street = [s(address.street), s(address.number)].filter(Boolean).join(', ');
  const place = [s(address.district), s(address.city)].filter(Boolean).join(', ');
  const cep = s(address.postalCode).replace(/^(\d{5})(\d{3})$/, '$1-$2');
  const line = [street, place, s(address.state)].filter(Boolean).join(' - ');
  return cep && line ? `${line}, ${cep}` : line;
}

/** The pinned position in a debtor's data (`geoPin`), or null. */
export function pinOf(data: Record<string, unknown>): LatLng | null {
  const p = data['geoPin'] as { lat?: unknown; lng?: unknown } | null | undefined;
  return p && typeof p.lat === 'number' && typeof p.lng === 'number'
    ? { lat: p.lat, lng: p.lng }
    : null;
}

const EARTH_M = 6_371_000;
const rad = (deg: number) => (deg * Math.PI) / 180;

/** Great-circle distance in metres (haversine). */
export function distanceM(a: LatLng, b: LatLng): number {
  const dLat = rad(b.lat - a.lat);
  const dLng = rad(b.lng - a.lng);
  const h =
    Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

const km = new Intl.NumberFormat('pt-BR', { maximumFractionDigits: 1 });
const m = new Intl.NumberFormat('pt-BR', { maximumFractionDigits: 0 });

/** "850 m", "2,3 km", "12 km". */
export function distanceText(metres: number): string {
  if (metres < 1_000) return `${m.format(Math.max(10, Math.round(metres / 10) * 10))} m`;
  return `${metres < 10_000 ? km.format(metres / 1_000) : m.format(metres / 1_000)} km`;
}

const MAPS = 'https://www.google.com/maps';

/** A map search for one place: the pin when there is one, else the address line. */
export function mapLink(address: PlainAddress | null, pin: LatLng | null = null): string | null {
  const query = pin ? `${pin.lat},${pin.lng}` : addressLine(address);
  return query ? `${MAPS}/search/?api=1&query=${encodeURIComponent(query)}` : null;
}

/** Stops one route link takes: the destination and nine waypoints. */
export const ROUTE_STOPS = 10;

/**
 * Directions from where the phone is (no origin: the map app uses the current position) through
 * `stops` in order; null without stops. Only the first ROUTE_STOPS are used.
 */
export function routeLink(stops: readonly string[]): string | null {
  const list = stops.filter((x) => x.trim() !== '').slice(0, ROUTE_STOPS);
  const destination = list.at(-1);
  if (destination === undefined) return null;
  const waypoints = list.slice(0, -1);
  return (
    `${MAPS}/dir/?api=1&travelmode=driving&destination=${encodeURIComponent(destination)}` +
    (waypoints.length > 0 ? `&waypoints=${encodeURIComponent(waypoints.join('|'))}` : '')
  );
}
