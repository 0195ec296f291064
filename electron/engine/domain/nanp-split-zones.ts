/**
 * NANP area codes whose numbers ring in more than one zone. nanp-zones.ts gives each code the
 * zone of most of its people; this lists every zone a number of the code may ring in, so the
 * dialer can require a call to be legal in all of them (the most restrictive reading).
 */
const SPLIT: Record<string, string[]> = {
  // Florida panhandle west of the Apalachicola River keeps Central time.
  '850': ['America/Chicago', 'America/New_York'],
  // South Dakota and North Dakota west river, the Nebraska panhandle: Mountain.
  '605': ['America/Chicago', 'America/Denver'],
  '701': ['America/Chicago', 'America/Denver'],
  '308': ['America/Chicago', 'America/Denver'],
  // Kansas border counties (Sherman, Wallace, Greeley, Hamilton): Mountain.
  '785': ['America/Chicago', 'America/Denver'],
  '620': ['America/Chicago', 'America/Denver'],
  // Kentucky and Tennessee straddle the Eastern/Central line.
  '270': ['America/Chicago', 'America/New_York'],
  '606': ['America/Kentucky/Louisville', 'America/Chicago'],
  '423': ['America/New_York', 'America/Chicago'],
  // Indiana: south-western and north-western counties keep Central time.
  '812': ['America/Indiana/Indianapolis', 'America/Chicago'],
  '574': ['America/Indiana/Indianapolis', 'America/Chicago'],
  // Michigan's Upper Peninsula border counties: Central.
  '906': ['America/New_York', 'America/Chicago'],
  // Idaho's panhandle: Pacific.
  '208': ['America/Boise', 'America/Los_Angeles'],
  '986': ['America/Boise', 'America/Los_Angeles'],
  // Oregon's Malheur County: Mountain.
  '541': ['America/Los_Angeles', 'America/Boise'],
  '458': ['America/Los_Angeles', 'America/Boise'],
  // Arizona keeps standard time all year; the Navajo Nation observes daylight saving time.
  '928': ['America/Phoenix', 'America/Denver'],
  // Nevada's West Wendover: Mountain.
  '775': ['America/Los_Angeles', 'America/Denver'],
  // Canada: north-western Ontario, the territories, British Columbia's Peace region, Lloydminster,
  // Quebec's Magdalen Islands, Labrador.
  '807': ['America/Toronto', 'America/Winnipeg'],
  '867': ['America/Whitehorse', 'America/Edmonton', 'America/Winnipeg', 'America/Iqaluit'],
  '250': ['America/Vancouver', 'America/Dawson_Creek'],
  '306': ['America/Regina', 'America/Edmonton'],
  '418': ['America/Toronto', 'America/Halifax'],
  '581': ['America/Toronto', 'America/Halifax'],
  '709': ['America/St_Johns', 'America/Goose_Bay'],
};

/** Every zone a number of this NANP area code may ring in; undefined when the code lies in one zone. */
export function zonesOfSplitAreaCode(areaCode: string): readonly string[] | undefined {
  return SPLIT[areaCode];
}

export function splitAreaCodes(): string[] {
  return Object.keys(SPLIT);
}
