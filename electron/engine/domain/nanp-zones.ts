/**
 * North American Numbering Plan: the IANA zone where most of each geographic area code's numbers
 * ring. Area codes that straddle a zone line (e.g. 850 Florida panhandle, 605 South Dakota) get the
 * zone of most of their population; contacts get `timezoneInferred` so a user can correct them.
 * Non-geographic codes (toll-free 8xx, 500s, 600, 700, 900) are absent on purpose.
 * Caribbean and Pacific NANP members are separate countries and resolve through the country table.
 */
const ZONES: Record<string, string> = {
  'America/New_York':
    '201 202 203 207 212 215 216 220 223 227 229 231 234 239 240 248 252 267 269 272 276 283 301 302 304 305 313 315 321 324 326 329 330 332 336 339 347 351 352 363 380 386 401 404 407 410 413 419 423 434 436 440 443 445 470 472 475 478 484 508 513 516 517 518 540 551 561 567 570 571 582 585 586 603 607 609 610 614 616 617 631 640 646 656 667 678 680 681 686 689 703 704 706 716 717 718 724 727 728 732 734 740 743 754 757 762 770 771 772 774 781 786 802 803 804 810 813 814 826 828 835 838 839 843 845 848 854 856 857 860 862 863 864 865 878 904 906 908 910 912 914 917 919 929 934 937 941 943 947 948 954 959 973 978 980 984 989',
  'America/Indiana/Indianapolis': '260 317 463 574 765 812 930',
  'America/Kentucky/Louisville': '502 606 859',
  'America/Chicago':
    '205 210 214 217 218 219 224 225 228 235 251 254 256 262 270 274 281 308 309 312 314 316 318 319 320 325 327 331 334 337 346 353 361 364 402 405 409 414 417 430 432 447 448 464 469 479 501 504 507 512 515 531 534 539 557 563 572 573 580 601 605 608 612 615 618 620 629 630 636 641 651 659 660 662 682 701 708 712 713 715 726 730 731 737 763 769 773 779 785 806 815 816 817 830 832 847 850 861 870 872 901 903 913 918 920 924 931 936 938 940 945 952 956 972 975 979 985',
  'America/Denver': '303 307 385 406 435 505 575 719 720 801 915 970 983',
  'America/Boise': '208 986',
  'America/Phoenix': '480 520 602 623 928',
  'America/Los_Angeles':
    '206 209 213 253 279 310 323 341 350 360 369 408 415 424 425 442 458 503 509 510 530 541 559 562 564 619 626 628 650 657 661 669 702 707 714 725 738 747 760 775 805 818 820 831 840 858 909 916 925 949 951 971',
  'America/Anchorage': '907',
  'Pacific/Honolulu': '808',
  // Canada
  'America/Toronto':
    '226 249 263 289 343 354 365 367 382 416 418 437 438 450 468 514 519 548 579 581 613 647 683 705 742 753 807 819 873 905 942',
  'America/Winnipeg': '204 431 584',
  'America/Regina': '306 474 639',
  'America/Edmonton': '368 403 587 780 825 867',
  'America/Vancouver': '236 250 257 604 672 778',
  'America/Halifax': '782 902',
  'America/Moncton': '428 506',
  'America/St_Johns': '709 879',
};

let byAreaCode: Map<string, string> | undefined;

/** The zone of a NANP area code (3 digits), or undefined for non-geographic and unknown codes. */
export function zoneForAreaCode(areaCode: string): string | undefined {
  if (!byAreaCode) {
    byAreaCode = new Map();
    for (const [zone, codes] of Object.entries(ZONES)) {
      for (const code of codes.split(' ')) if (/^\d{3}$/.test(code)) byAreaCode.set(code, zone);
    }
  }
  return byAreaCode.get(areaCode);
}

/** Every zone the table can answer with (for tests that check each against Intl). */
export function nanpZones(): string[] {
  return Object.keys(ZONES).filter((zone) => ZONES[zone]!.length > 0);
}

/** Every geographic area code in the table. */
export function nanpAreaCodes(): string[] {
  zoneForAreaCode('000');
  return [...byAreaCode!.keys()];
}
