import { hex, msg, r, sdp } from './corpus-helpers.js';

const MPART_BINARY = hex(`
  3082015206092A864886F70D010702A08201433082013F020101310930070605
  2B0E03021A300B06092A864886F70D010701318201203082011C020101307C30
  70310B3009060355040613025553311330110603550408130A43616C69666F72
  6E69613111300F0603550407130853616E204A6F7365310E300C060355040A13
  05736970697431293027060355040B1320536970697420546573742043657274
  6966696361746520417574686F7269747902080195007102330113300706052B
  0E03021A300D06092A864886F70D01010105000481808EF466F948F0522DD2E5
  978E9D95AAE9F2FE15A06659716292E8DA2AA8D8350A68CEFFAE3CBD2BFF1675
  DDD5648E593DD64728F26220F7E941749E330D9A15EDABDB93D10C42102E7B72
  89D29CC0C9AE2EFBC7C0CFF9172F3B027E4FC027E1546DE4B6AA3ABB3E66CCCB
  5DD6C64B8383149CB8E6FF182D944FE57B65BC99D005`);

const UNREASON = hex(`D0BDD0BE20D181D182D0BE20D0B4D0B5D0B2D18FD0BDD0BED181D182D0BE20D0B4D0B5D0B2D18FD182D18C
  202D20D0BFD180D0BED181D182D0BED0B5`);

function longreqVias(): string[] {
  const casings = ['Via: ', 'v: ', 'V: ', 'Via: ', 'ViA: ', 'VIa: ', 'VIA: ', 'via: ', 'viA: ', 'vIa: ', 'vIA: ',
    'V :  ', 'v :  ', 'V  : ', 'v  : ', 'Via : ', 'Via  : '];
  const out: string[] = [];
  for (let n = 33; n >= 1; n--) {
    const name = casings[33 - n] ?? 'Via: ';
    out.push(`${name}SIP/2.0/TCP sip${n}.example.com`);
  }
  return out;
}

/** RFC 4475 §3.1.1: valid messages a parser must accept. */
export const VALID_CORPUS: Record<string, Buffer> = {
  // §3.1.1.1 A Short Tortuous INVITE
  'wsinv.sip': msg([
    'INVITE sip:vivekg@chair-dnrc.example.com;unknownparam SIP/2.0',
    'TO :',
    ' sip:vivekg@chair-dnrc.example.com ;   tag    = 1918181833n',
    'from   : "J Rosenberg \\\\\\""       <sip:jdrosen@example.com>',
    '  ;',
    '  tag = 98asjd8',
    'MaX-fOrWaRdS: 0068',
    'Call-ID: wsinv.ndaksdj@192.0.2.1',
    'Content-Length   : 150',
    'cseq: 0009',
    '  INVITE',
    'Via  : SIP  /   2.0',
    ' /UDP',
    '    192.0.2.2;branch=390skdjuw',
    's :',
    'NewFangledHeader:   newfangled value',
    ' continued newfangled value',
    'UnknownHeaderWithUnusualValue: ;;,,;;,;',
    'Content-Type: application/sdp',
    'Route:',
    ' <sip:services.example.com;lr;unknownwith=value;unknown-no-value>',
    'v:  SIP  / 2.0  / TCP     spindle.example.com   ;',
    '  branch  =   z9hG4bK9ikj8  ,',
    ' SIP  /    2.0   / UDP  192.168.255.111   ; branch=',
    ' z9hG4bK30239',
    'm:"Quoted string \\"\\"" <sip:jdrosen@example.com> ; newparam =',
    '      newvalue ;',
    '  secondparam ; q = 0.33',
  ], sdp('192.0.2.3', '192.0.2.4')),

  // §3.1.1.2 Wide Range of Valid Characters
  'intmeth.sip': msg([
    "!interesting-Method0123456789_*+`.%indeed'~ sip:1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*:&it+has=1,weird!*pas$wo~d_too.(doesn't-it)@example.com SIP/2.0",
    "Via: SIP/2.0/TCP host1.example.com;branch=z9hG4bK-.!%66*_+`'~",
    ['To: "BEL:\\', hex('07'), ' NUL:\\', hex('00'), ' DEL:\\', hex('7F'),
      "\" <sip:1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*@example.com>"],
    ["From: token1~` token2'+_ token3*%!.- <sip:mundane@example.com>;fromParam''~+*_!.-%=\"",
      hex('D180D0B0D0B1D0BED182D0B0D18ED189D0B8D0B9'), "\";tag=_token~1'+`*%!-."],
    "Call-ID: intmeth.word%ZK-!.*_+'@word`~)(><:\\/\"][?}{",
    "CSeq: 139122385 !interesting-Method0123456789_*+`.%indeed'~",
    'Max-Forwards: 255',
    ["extensionHeader-!.%*+_`'~:", hex('EFBBBFE5A4A7E5819CE99BBB')],
    'Content-Length: 0',
  ]),

  // §3.1.1.3 Valid Use of the % Escaping Mechanism
  'esc01.sip': msg([
    'INVITE sip:sips%3Auser%40example.com@example.net SIP/2.0',
    'To: sip:%75se%72@example.com',
    'From: <sip:I%20have%20spaces@example.net>;tag=938',
    'Max-Forwards: 87',
    'i: esc01.239409asdfakjkn23onasd0-3234',
    'CSeq: 234234 INVITE',
    'Via: SIP/2.0/UDP host5.example.net;branch=z9hG4bKkdjuw',
    'C: application/sdp',
    'Contact:',
    '  <sip:cal%6Cer@host5.example.net;%6C%72;n%61me=v%61lue%25%34%31>',
    'Content-Length: 150',
  ], sdp('192.0.2.1')),

  // §3.1.1.4 Escaped Nulls in URIs
  'escnull.sip': msg([
    'REGISTER sip:example.com SIP/2.0',
    'To: sip:null-%00-null@example.com',
    'From: sip:null-%00-null@example.com;tag=839923423',
    'Max-Forwards: 70',
    'Call-ID: escnull.39203ndfvkjdasfkq3w4otrq0adsfdfnavd',
    'CSeq: 14398234 REGISTER',
    'Via: SIP/2.0/UDP host5.example.com;branch=z9hG4bKkdjuw',
    'Contact: <sip:%00@host5.example.com>',
    'Contact: <sip:%00%00@host5.example.com>',
    'L:0',
  ]),

  // §3.1.1.5 Use of % When It Is Not an Escape
  'esc02.sip': msg([
    'RE%47IST%45R sip:registrar.example.com SIP/2.0',
    'To: "%Z%45" <sip:resource@example.com>',
    'From: "%Z%45" <sip:resource@example.com>;tag=f232jadfj23',
    'Call-ID: esc02.asdfnqwo34rq23i34jrjasdcnl23nrlknsdf',
    'Via: SIP/2.0/TCP host.example.com;branch=z9hG4bK209%fzsnel234',
    'CSeq: 29344 RE%47IST%45R',
    'Max-Forwards: 70',
    'Contact: <sip:alias1@host1.example.com>',
    'C%6Fntact: <sip:alias2@host2.example.com>',
    'Contact: <sip:alias3@host3.example.com>',
    'l: 0',
  ]),

  // §3.1.1.6 Message with No LWS between Display Name and <
  'lwsdisp.sip': msg([
    'OPTIONS sip:user@example.com SIP/2.0',
    'To: sip:user@example.com',
    'From: caller<sip:caller@example.com>;tag=323',
    'Max-Forwards: 70',
    'Call-ID: lwsdisp.1234abcd@funky.example.com',
    'CSeq: 60 OPTIONS',
    'Via: SIP/2.0/UDP funky.example.com;branch=z9hG4bKkdjuw',
    'l: 0',
  ]),

  // §3.1.1.7 Long Values in Header Fields
  'longreq.sip': msg([
    'INVITE sip:user@example.com SIP/2.0',
    `To: "I have a user name of ${r('extreme', 10)} proportion"<sip:user@example.com:6000;unknownparam1=very${r('long', 20)}value;longparam${r('name', 26)}=shortvalue;very${r('long', 25)}ParameterNameWithNoValue>`,
    `F: sip:${r('amazinglylongcallername', 5)}@example.net;tag=12${r('982', 50)}424;unknownheaderparam${r('name', 20)}=unknowheaderparam${r('value', 15)};unknownValueless${r('paramname', 10)}`,
    `Call-ID: longreq.one${r('really', 20)}longcallid`,
    'CSeq: 3882340 INVITE',
    `Unknown-${r('Long', 20)}-Name: unknown-${r('long', 20)}-value; unknown-${r('long', 20)}-parameter-name = unknown-${r('long', 20)}-parameter-value`,
    ...longreqVias(),
    `Via: SIP/2.0/TCP host.example.com;received=192.0.2.5;branch=very${r('long', 50)}branchvalue`,
    'Max-Forwards: 70',
    `Contact: <sip:${r('amazinglylongcallername', 5)}@host5.example.net>`,
    'Content-Type: application/sdp',
    'l: 150',
  ], sdp('192.0.2.1')),

  // §3.1.1.8 Extra Trailing Octets in a UDP Datagram
  'dblreq.sip': msg([
    'REGISTER sip:example.com SIP/2.0',
    'To: sip:j.user@example.com',
    'From: sip:j.user@example.com;tag=43251j3j324',
    'Max-Forwards: 8',
    'I: dblreq.0ha0isndaksdj99sdfafnl3lk233412',
    'Contact: sip:j.user@host.example.com',
    'CSeq: 8 REGISTER',
    'Via: SIP/2.0/UDP 192.0.2.125;branch=z9hG4bKkdjuw23492',
    'Content-Length: 0',
  ], msg([
    'INVITE sip:joe@example.com SIP/2.0',
    't: sip:joe@example.com',
    'From: sip:caller@example.net;tag=141334',
    'Max-Forwards: 8',
    'Call-ID: dblreq.0ha0isnda977644900765@192.0.2.15',
    'CSeq: 8 INVITE',
    'Via: SIP/2.0/UDP 192.0.2.15;branch=z9hG4bKkdjuw380234',
    'Content-Type: application/sdp',
    'Content-Length: 150',
  ], sdp('192.0.2.15').replace('m=video', 'm =video'), '\r\n')),

  // §3.1.1.9 Semicolon-Separated Parameters in URI User Part
  'semiuri.sip': msg([
    'OPTIONS sip:user;par=u%40example.net@example.com SIP/2.0',
    'To: sip:j_user@example.com',
    'From: sip:caller@example.org;tag=33242',
    'Max-Forwards: 3',
    'Call-ID: semiuri.0ha0isndaksdj',
    'CSeq: 8 OPTIONS',
    'Accept: application/sdp, application/pkcs7-mime,',
    '        multipart/mixed, multipart/signed,',
    '        message/sip, message/sipfrag',
    'Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKkdjuw',
    'l: 0',
  ]),

  // §3.1.1.10 Varied and Unknown Transport Types
  'transports.sip': msg([
    'OPTIONS sip:user@example.com SIP/2.0',
    'To: sip:user@example.com',
    'From: <sip:caller@example.com>;tag=323',
    'Max-Forwards: 70',
    'Call-ID:  transports.kijh4akdnaqjkwendsasfdj',
    'Accept: application/sdp',
    'CSeq: 60 OPTIONS',
    'Via: SIP/2.0/UDP t1.example.com;branch=z9hG4bKkdjuw',
    'Via: SIP/2.0/SCTP t2.example.com;branch=z9hG4bKklasjdhf',
    'Via: SIP/2.0/TLS t3.example.com;branch=z9hG4bK2980unddj',
    'Via: SIP/2.0/UNKNOWN t4.example.com;branch=z9hG4bKasd0f3en',
    'Via: SIP/2.0/TCP t5.example.com;branch=z9hG4bK0a9idfnee',
    'l: 0',
  ]),

  // §3.1.1.11 Multipart MIME Message
  'mpart01.sip': msg([
    'MESSAGE sip:kumiko@example.org SIP/2.0',
    'Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-d87543-4dade06d0bdb11ee-1--d87543-;rport',
    'Max-Forwards: 70',
    'Route: <sip:127.0.0.1:5080>',
    'Identity: r5mwreLuyDRYBi/0TiPwEsY3rEVsk/G2WxhgTV1PF7hHuLIK0YWVKZhKv9Mj8UeXqkMVbnVq37CD+813gvYjcBUaZngQmXc9WNZSDNGCzA+fWl9MEUHWIZo1CeJebdY/XlgKeTa0Olvq0rt70Q5jiSfbqMJmQFteeivUhkMWYUA=',
    'Contact: <sip:fluffy@127.0.0.1:5070>',
    'To: <sip:kumiko@example.org>',
    'From: <sip:fluffy@example.com>;tag=2fb0dcc9',
    'Call-ID: 3d9485ad0c49859b@Zmx1ZmZ5LW1hYy0xNi5sb2NhbA..',
    'CSeq: 1 MESSAGE',
    'Content-Transfer-Encoding: binary',
    'Content-Type: multipart/mixed;boundary=7a9cbec02ceef655',
    'Date: Sat, 15 Oct 2005 04:44:56 GMT',
    'User-Agent: SIPimp.org/0.2.5 (curses)',
    'Content-Length: 553',
  ], '--7a9cbec02ceef655\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: binary\r\n\r\nHello\r\n',
  '--7a9cbec02ceef655\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: binary\r\n\r\n',
  MPART_BINARY, '\r\n--7a9cbec02ceef655--\r\n'),

  // §3.1.1.12 Unusual Reason Phrase
  'unreason.sip': msg([
    ['SIP/2.0 200 = 2**3 * 5**2 ', UNREASON],
    'Via: SIP/2.0/UDP 192.0.2.198;branch=z9hG4bK1324923',
    'Call-ID: unreason.1234ksdfak3j2erwedfsASdf',
    'CSeq: 35 INVITE',
    'From: sip:user@example.com;tag=11141343',
    'To: sip:user@example.edu;tag=2229',
    'Content-Length: 154',
    'Content-Type: application/sdp',
    'Contact: <sip:user@host198.example.com>',
  ], sdp('192.0.2.198')),

  // §3.1.1.13 Empty Reason Phrase
  'noreason.sip': msg([
    'SIP/2.0 100 ',
    'Via: SIP/2.0/UDP 192.0.2.105;branch=z9hG4bK2398ndaoe',
    'Call-ID: noreason.asndj203insdf99223ndf',
    'CSeq: 35 INVITE',
    'From: <sip:user@example.com>;tag=39ansfi3',
    'To: <sip:user@example.edu>;tag=902jndnke3',
    'Content-Length: 0',
    'Contact: <sip:user@host105.example.com>',
  ]),
};
