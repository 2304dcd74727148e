"""Page contents of the cluster development set (see README.md).

Outlets are fictional; each page was written for this project from facts of
the public record. `event` is the real-world event a page tells; pages with
`distractor: True` tell a near miss of another event (return visit, same
leaders a year apart, ministers on the leaders' day, another stop of the
same trip).
"""

OUTLETS = {
    "meridian": {"name": "The Meridian Times", "host": "www.meridiantimes.com", "template": "classic",
                 "related": ["Markets close higher on rate hopes", "Heatwave grips southern Europe", "Opinion: the new arms race"]},
    "herald": {"name": "Capital Herald", "host": "www.capitalherald.co.uk", "template": "jsonld",
               "related": ["Chancellor faces backbench revolt", "Rail strike called off", "Five things to watch this week"]},
    "pacific": {"name": "Pacific Observer", "host": "www.pacificobserver.com.au", "template": "wire",
                "related": ["Reserve Bank holds steady", "Bushfire season starts early", "Cricket: five-wicket haul"]},
    "ledger": {"name": "The Daily Ledger", "host": "www.dailyledger.co.in", "template": "portal",
               "related": ["Sensex ends flat", "Monsoon reaches Kerala", "Metro line opens in Pune"]},
    "eurasia": {"name": "Eurasia Wire", "host": "eurasiawire.net", "template": "wire",
                "related": ["Gas prices ease in Europe", "Central Asia rail link advances", "Caspian summit date set"]},
    "review": {"name": "Global Affairs Review", "host": "www.globalaffairsreview.org", "template": "magazine",
               "related": ["The limits of sanctions", "Why middle powers matter", "Podcast: summit season"]},
    "hanriver": {"name": "Han River Daily", "host": "www.hanriverdaily.co.kr", "template": "jsonld",
                 "related": ["KOSPI rises on chip exports", "Seoul subway fares to rise", "K-league: derby ends in draw"]},
    "gazette": {"name": "Northern Gazette", "host": "northerngazette.ca", "template": "classic",
                "related": ["Ottawa unveils housing plan", "Maple syrup prices climb", "Hockey: overtime thriller"]},
    "courier": {"name": "Atlantic Courier", "host": "www.atlanticcourier.com", "template": "magazine",
                "related": ["Congress averts shutdown", "The week in charts", "Letters to the editor"]},
    "tribune": {"name": "Nile Valley Tribune", "host": "www.nilevalleytribune.com.eg", "template": "portal",
                "related": ["Pound steadies at central bank auction", "Suez revenues rise", "New capital ministries move"]},
}


def page(name, outlet, path, published, shown_date, author, headline, standfirst, body,
         event, family, countries, distractor=False, kicker=None):
    p = dict(name=name, outlet=outlet, path=path, published=published, shown_date=shown_date,
             author=author, headline=headline, standfirst=standfirst, body=body, event=event,
             family=family, countries=countries, distractor=distractor)
    if kicker:
        p["kicker"] = kicker
    return p


PAGES = [
    # ---- Xi Jinping's state visit to France, 5-7 May 2024 (visit) ----
    page("xi-france-announced-eurasia", "eurasia", "/2024/04/29/china-xi-europe-trip-france-serbia-hungary",
         "2024-04-29T09:40:00+00:00", "April 29, 2024 09:40 GMT", "Lin Wei",
         "China's Xi to visit France, Serbia and Hungary in rare Europe trip",
         "", [
             "BEIJING, April 29 - Chinese President Xi Jinping will pay state visits to France, Serbia and Hungary from May 5 to 10, China's foreign ministry said on Monday, his first trip to Europe in five years.",
             "Xi will travel to France at the invitation of French President Emmanuel Macron, ministry spokesperson Hua Chunying told reporters, adding that the visit would mark the 60th anniversary of diplomatic ties between the two countries.",
             "Trade frictions are expected to loom over the trip. The European Union has opened investigations into Chinese electric vehicles, and Paris has pressed Beijing to use its influence with Moscow over the war in Ukraine.",
             "The Elysee said Macron and Xi would discuss international crises, trade and cooperation on climate and biodiversity.",
         ], "xi-france-2024", "visit", ["CHN", "FRA"]),
    page("xi-france-preview-herald", "herald", "/world/2024/may/02/macron-xi-state-visit-pyrenees-trade",
         "2024-05-02T17:05:00+01:00", "Thursday 2 May 2024", "Claire Dubois",
         "Macron to take Xi to the Pyrenees as he seeks leverage on trade and Ukraine",
         "The French president hopes a personal touch will help on electric cars and cognac", [
             "Emmanuel Macron will host Xi Jinping in Paris on Monday for a state visit that French officials hope can soften Beijing's stance on trade disputes and the war in Ukraine.",
             "After talks at the Elysee Palace, which European Commission President Ursula von der Leyen will join, Macron plans to take the Chinese leader to the Col du Tourmalet in the Hautes-Pyrenees, a mountain pass he visited as a child with his grandmother.",
             "French cognac makers, targeted by a Chinese anti-dumping inquiry, are watching closely. \"We are hoping for a signal,\" one industry representative said.",
             "Diplomats said the Chinese president would then fly on to Belgrade and Budapest, two capitals with warmer ties to Beijing.",
         ], "xi-france-2024", "visit", ["CHN", "FRA"]),
    page("xi-france-eve-meridian", "meridian", "/world/europe/xi-jinping-paris-arrival-state-visit",
         "2024-05-05T16:20:00+02:00", "May 5, 2024", "Marc Lefevre",
         "Xi Jinping lands in France at start of European tour",
         "Talks with Macron and von der Leyen are set for Monday", [
             "PARIS - Chinese President Xi Jinping arrived at Orly airport on Sunday afternoon for a two-day state visit to France, where he is to hold talks with President Emmanuel Macron on Monday.",
             "Prime Minister Gabriel Attal greeted Xi and his wife Peng Liyuan on the tarmac. The visit, Xi's first to France since 2019, coincides with the 60th anniversary of diplomatic relations.",
             "Macron will welcome Xi at the Elysee Palace on Monday for a state dinner, and the two leaders will travel to the Pyrenees on Tuesday.",
         ], "xi-france-2024", "visit", ["CHN", "FRA"]),

    # ---- Distractor: Xi's stop in Serbia the same week, 7-8 May 2024 (visit) ----
    page("xi-serbia-announced-eurasia", "eurasia", "/2024/05/03/serbia-vucic-xi-visit-belgrade",
         "2024-05-03T12:10:00+00:00", "May 3, 2024 12:10 GMT", "Jelena Markovic",
         "Serbia readies welcome for Xi on anniversary of embassy bombing",
         "", [
             "BELGRADE, May 3 - Serbian President Aleksandar Vucic said on Friday that Chinese President Xi Jinping will visit Belgrade on May 7 and 8, calling it a historic moment for Serbia.",
             "The visit falls on the 25th anniversary of the NATO bombing of the Chinese embassy in Belgrade, in which three Chinese journalists were killed.",
             "Vucic said the two countries would sign a number of agreements and that Serbia, which has a free trade agreement with China, wanted more Chinese investment in its industry.",
         ], "xi-serbia-2024", "visit", ["CHN", "SRB"], distractor=True),
    page("xi-serbia-preview-pacific", "pacific", "/world/europe/xi-belgrade-stop-after-paris",
         "2024-05-06T20:45:00+10:00", "6 May 2024 8:45pm AEST", "Tom Harding",
         "After Paris, Xi heads to Serbia for friendlier reception",
         "", [
             "Chinese leader Xi Jinping will fly from France to Serbia on Tuesday for a two-day state visit, seeking a warmer welcome than the pointed trade talks he faced in Paris.",
             "Serbian President Aleksandar Vucic will host Xi in Belgrade, where the two are expected to sign an agreement on building a shared future, officials said.",
             "Xi will then travel to Hungary, another European country with close ties to Beijing.",
         ], "xi-serbia-2024", "visit", ["CHN", "SRB"], distractor=True),

    # ---- Yoon Suk Yeol's visit to Japan, 16-17 March 2023 (visit) ----
    page("yoon-japan-announced-hanriver", "hanriver", "/politics/2023/03/09/yoon-to-visit-tokyo-kishida-summit",
         "2023-03-09T15:30:00+09:00", "2023.03.09 15:30", "Kim Ji-won",
         "Yoon to visit Tokyo next week for summit with Kishida",
         "First bilateral visit to Japan by a South Korean president in 12 years", [
             "President Yoon Suk Yeol will visit Japan on March 16 and 17 at the invitation of Japanese Prime Minister Fumio Kishida, the presidential office said Thursday.",
             "It will be the first bilateral trip to Japan by a South Korean leader in 12 years, and comes days after Seoul announced a plan to compensate victims of wartime forced labor through a local foundation.",
             "\"The visit will be an important milestone in the development of Korea-Japan relations,\" press secretary Kim Eun-hye told a briefing.",
             "Yoon and Kishida are expected to discuss resuming regular shuttle diplomacy and North Korea's missile launches.",
         ], "yoon-japan-2023", "visit", ["JPN", "KOR"]),
    page("yoon-japan-preview-review", "review", "/analysis/yoon-tokyo-trip-thaw",
         "2023-03-13T07:00:00-04:00", "March 13, 2023", "Sarah Okafor",
         "Can Yoon's Tokyo trip end a decade of frost?",
         "South Korea's president is betting his popularity on a thaw with Japan", [
             "When Yoon Suk Yeol travels to Tokyo this Thursday for a two-day visit, he will carry with him the most contentious decision of his presidency so far.",
             "Last week his government proposed that South Korean companies, not Japanese ones, pay into a fund compensating Koreans forced to work for Japanese firms during the colonial period.",
             "Yoon is set to meet Prime Minister Fumio Kishida on Thursday. Officials in both capitals have hinted that Tokyo may ease export controls on chipmaking materials imposed four years ago.",
             "Polls suggest most South Koreans oppose the compensation plan, but Washington has welcomed it warmly.",
         ], "yoon-japan-2023", "visit", ["JPN", "KOR"], kicker="Asia"),
    page("yoon-japan-eve-gazette", "gazette", "/world/asia/south-korea-japan-leaders-tokyo-visit",
         "2023-03-15T21:10:00-04:00", "March 15, 2023 9:10 p.m. ET", "Daniel Park",
         "South Korea's Yoon heads to Japan as neighbours seek a reset",
         "Hours earlier, North Korea fired a long-range missile", [
             "South Korean President Yoon Suk Yeol will fly to Tokyo on Thursday for a summit with Japanese Prime Minister Fumio Kishida, the first such visit in more than a decade.",
             "North Korea fired an intercontinental ballistic missile into the sea off its east coast early Thursday, hours before Yoon's departure, Seoul's military said.",
             "Yoon told Japanese media before the trip that the two countries could no longer afford to waste time on hostility.",
         ], "yoon-japan-2023", "visit", ["JPN", "KOR"]),

    # ---- Yoon-Kishida summit talks in Tokyo, 16 March 2023 (dialogue) ----
    page("yoon-kishida-talks-hanriver", "hanriver", "/politics/2023/03/16/yoon-kishida-summit-shuttle-diplomacy",
         "2023-03-16T20:45:00+09:00", "2023.03.16 20:45", "Lee Min-ho",
         "Yoon, Kishida agree to restore shuttle diplomacy at Tokyo summit",
         "Japan lifts curbs on chip material exports to Korea", [
             "President Yoon Suk Yeol and Japanese Prime Minister Fumio Kishida held talks in Tokyo on Thursday and agreed to resume regular visits between their leaders, suspended since 2011.",
             "Japan said it would lift export restrictions on three materials used to make semiconductors and displays, while Seoul said it would withdraw its complaint at the World Trade Organization.",
             "\"Today's meeting is a first step toward a new future for Korea and Japan,\" Yoon said at a joint news conference at the prime minister's office.",
             "The two leaders later had dinner at a restaurant in the Ginza district.",
         ], "yoon-kishida-tokyo-2023", "dialogue", ["JPN", "KOR"]),
    page("yoon-kishida-talks-pacific", "pacific", "/world/asia-pacific/japan-south-korea-summit-tokyo",
         "2023-03-16T23:30:00+11:00", "16 March 2023 11:30pm AEDT", "Megan Collins",
         "Japan and South Korea bury the hatchet over dinner in Tokyo",
         "", [
             "TOKYO - The leaders of Japan and South Korea met in Tokyo on Thursday in a summit aimed at ending years of bitter disputes over trade and wartime history.",
             "Prime Minister Fumio Kishida welcomed President Yoon Suk Yeol at his official residence for about 80 minutes of talks, followed by two rounds of dinner.",
             "Kishida said he and Yoon had agreed to restart a security dialogue and cooperate closely on North Korea, which launched a long-range missile hours before the meeting.",
         ], "yoon-kishida-tokyo-2023", "dialogue", ["JPN", "KOR"]),
    page("yoon-kishida-talks-followup-courier", "courier", "/world/2023/03/18/tokyo-summit-what-changed",
         "2023-03-18T08:00:00-04:00", "March 18, 2023", "Helen Marsh",
         "What Thursday's Tokyo summit changed for Washington's two allies",
         "A chip-materials deal and a promise of more meetings", [
             "Japanese Prime Minister Fumio Kishida and South Korean President Yoon Suk Yeol held a summit in Tokyo on March 16, the first formal bilateral meeting in Japan between their countries' leaders in 12 years.",
             "The concrete results were modest: Tokyo eased export controls on chip materials, and Seoul dropped its trade complaint. But officials on both sides described the mood as warmer than anything in a decade.",
             "For the United States, which has pressed its two allies to work together against North Korea and China, the meeting was a welcome change.",
         ], "yoon-kishida-tokyo-2023", "dialogue", ["JPN", "KOR"]),

    # ---- Distractor: foreign ministers meeting in Tokyo on the summit day (dialogue) ----
    page("park-hayashi-talks-hanriver", "hanriver", "/politics/2023/03/16/park-jin-hayashi-foreign-ministers-tokyo",
         "2023-03-16T19:10:00+09:00", "2023.03.16 19:10", "Choi Yoon-ah",
         "Foreign ministers Park and Hayashi meet on sidelines of Tokyo summit",
         "", [
             "Foreign Minister Park Jin held talks with his Japanese counterpart Yoshimasa Hayashi in Tokyo on Thursday, on the sidelines of the summit between their leaders.",
             "The two ministers discussed follow-up steps to the compensation plan for wartime forced labor victims and agreed to keep in close contact, the foreign ministry said.",
             "Park also asked Japan to take sincere steps in response to Seoul's proposal.",
         ], "park-hayashi-tokyo-2023", "dialogue", ["JPN", "KOR"], distractor=True),

    # ---- Distractor: Kishida's return visit to Seoul, 7-8 May 2023 (visit) ----
    page("kishida-seoul-announced-hanriver", "hanriver", "/politics/2023/05/01/kishida-seoul-visit-may-7",
         "2023-05-01T18:00:00+09:00", "2023.05.01 18:00", "Kim Ji-won",
         "Kishida to visit Seoul this weekend, reviving shuttle diplomacy",
         "", [
             "Japanese Prime Minister Fumio Kishida will visit Seoul on May 7 and 8 for a summit with President Yoon Suk Yeol, the presidential office said Monday.",
             "The trip reciprocates Yoon's visit to Tokyo in March and will be the first by a Japanese prime minister to South Korea for bilateral talks in about 12 years.",
             "The two leaders are expected to discuss security cooperation with the United States and the release of treated water from the Fukushima plant.",
         ], "kishida-seoul-2023", "visit", ["JPN", "KOR"], distractor=True),
    page("kishida-seoul-preview-gazette", "gazette", "/world/asia/japan-kishida-seoul-trip-history",
         "2023-05-05T10:00:00-04:00", "May 5, 2023", "Daniel Park",
         "Japan's Kishida heads to Seoul with history still in the way",
         "", [
             "Japanese Prime Minister Fumio Kishida is set to travel to Seoul on Sunday for a two-day visit, returning the call President Yoon Suk Yeol paid to Tokyo seven weeks ago.",
             "South Korean activists want Kishida to offer a fresh apology for Japan's colonial rule, something Tokyo has resisted.",
             "Officials said Kishida would hold talks with Yoon on Sunday and attend a dinner hosted by the Korean president.",
         ], "kishida-seoul-2023", "visit", ["JPN", "KOR"], distractor=True),

    # ---- Narendra Modi's state visit to the United States, 21-23 June 2023 (visit) ----
    page("modi-us-announced-ledger", "ledger", "/world/modi-us-state-visit-june-biden-state-dinner",
         "2023-05-11T09:15:00+05:30", "May 11, 2023, 09:15 IST", "Ritika Sharma",
         "PM Modi to make state visit to US in June; Bidens to host state dinner",
         "White House says visit will affirm deep and close partnership", [
             "Prime Minister Narendra Modi will pay an official state visit to the United States in June, the White House announced on Wednesday, with President Joe Biden and First Lady Jill Biden hosting him for a state dinner on June 22.",
             "\"The upcoming visit will affirm the deep and close partnership between the United States and India,\" White House press secretary Karine Jean-Pierre said in a statement.",
             "The leaders are expected to discuss cooperation in defence, clean energy and critical technologies. The Ministry of External Affairs said the visit would be Modi's first state visit to the US.",
         ], "modi-us-2023", "visit", ["IND", "USA"]),
    page("modi-us-preview-courier", "courier", "/politics/2023/06/15/modi-washington-state-visit-jet-engines",
         "2023-06-15T06:30:00-04:00", "June 15, 2023", "James Whitfield",
         "Jet engines and drones top the agenda as Washington prepares for Modi",
         "The Indian prime minister will also address a joint meeting of Congress", [
             "Indian Prime Minister Narendra Modi will travel to Washington next week for a state visit that officials say could seal deals on jet engines and armed drones.",
             "Biden will welcome Modi at the White House on June 22, and the prime minister will address a joint meeting of Congress the same day, his second such speech.",
             "Some Democratic lawmakers have urged Biden to raise concerns about press freedom and the treatment of religious minorities in India.",
         ], "modi-us-2023", "visit", ["IND", "USA"]),
    page("modi-us-departure-pacific", "pacific", "/world/asia-pacific/modi-leaves-for-us-state-visit",
         "2023-06-20T12:35:00+10:00", "20 June 2023 12:35pm AEST", "Tom Harding",
         "Modi flies to the US for state visit, yoga day event at the UN first",
         "The prime minister will visit Egypt on his way back", [
             "Indian Prime Minister Narendra Modi left New Delhi for the United States on Tuesday, where he will lead International Yoga Day celebrations at the UN headquarters in New York on June 21 before travelling to Washington.",
             "Modi will hold talks with President Joe Biden at the White House on June 22 and attend a state dinner hosted by the Bidens that evening.",
             "\"I am confident my visit will reinforce our ties based on shared values of democracy, diversity and freedom,\" Modi said in his departure statement.",
         ], "modi-us-2023", "visit", ["IND", "USA"]),

    # ---- Distractor: Modi's stop in Egypt the same week, 24-25 June 2023 (visit) ----
    page("modi-egypt-announced-tribune", "tribune", "/egypt/modi-cairo-visit-sisi-invitation",
         "2023-06-18T14:00:00+02:00", "18 June 2023, 14:00", "Ahmed Fathy",
         "Indian prime minister to visit Cairo after US trip",
         "", [
             "Indian Prime Minister Narendra Modi will visit Egypt on June 24 and 25 at the invitation of President Abdel Fattah al-Sisi, the Egyptian presidency said on Sunday.",
             "The visit follows Sisi's trip to New Delhi in January, when he was chief guest at India's Republic Day parade and the two countries raised their ties to a strategic partnership.",
             "Modi is also expected to visit the Al-Hakim mosque, restored with the help of India's Dawoodi Bohra community.",
         ], "modi-egypt-2023", "visit", ["EGY", "IND"], distractor=True),

    # ---- Biden-Xi talks at Woodside, California, 15 November 2023 (dialogue) ----
    page("biden-xi-woodside-meridian", "meridian", "/world/americas/biden-xi-summit-woodside-military-talks",
         "2023-11-15T21:30:00-08:00", "November 15, 2023", "Rachel Stone",
         "Biden and Xi agree to restore military communications at California summit",
         "The leaders met for four hours at a country estate south of San Francisco", [
             "WOODSIDE, California - President Joe Biden and Chinese President Xi Jinping agreed on Wednesday to resume military-to-military communications and to curb the flow of fentanyl ingredients, after four hours of talks at the Filoli estate.",
             "It was the first meeting between the two leaders in a year, and came on the sidelines of the Asia-Pacific Economic Cooperation summit in San Francisco.",
             "\"We're making some real progress,\" Biden told reporters afterwards. Xi said the planet was big enough for the two countries to succeed.",
         ], "biden-xi-woodside-2023", "dialogue", ["CHN", "USA"]),
    page("biden-xi-woodside-eurasia", "eurasia", "/2023/11/16/xi-biden-talks-san-francisco-taiwan",
         "2023-11-16T06:15:00+00:00", "November 16, 2023 06:15 GMT", "Lin Wei",
         "Xi tells Biden Taiwan remains most dangerous issue in ties",
         "", [
             "SAN FRANCISCO, Nov 16 - Chinese President Xi Jinping told U.S. President Joe Biden during their meeting in California that Taiwan was the biggest and most dangerous issue in China-U.S. relations, Chinese state media said on Thursday.",
             "The two presidents met on Wednesday at an estate in Woodside, near San Francisco, and agreed to set up talks on artificial intelligence and to restore high-level military contacts.",
             "Xi arrived in the United States on Tuesday for the APEC leaders' meeting, his first visit to the country since 2017.",
         ], "biden-xi-woodside-2023", "dialogue", ["CHN", "USA"]),
    page("biden-xi-woodside-review", "review", "/analysis/after-woodside-managed-rivalry",
         "2023-11-20T08:00:00-05:00", "November 20, 2023", "Sarah Okafor",
         "After Woodside, a managed rivalry - for now",
         "Last week's summit stabilised ties without resolving much", [
             "The meeting between Joe Biden and Xi Jinping at the Filoli estate last Wednesday was, by the standards of recent years, a success.",
             "The two leaders met for roughly four hours, walked the gardens together and agreed to reopen military hotlines cut after Nancy Pelosi's visit to Taiwan in August 2022.",
             "Yet within hours Biden told reporters he still regarded Xi as a dictator, a remark Beijing's foreign ministry called extremely wrong.",
         ], "biden-xi-woodside-2023", "dialogue", ["CHN", "USA"], kicker="United States"),

    # ---- Distractor: Biden-Xi talks in Bali a year earlier, 14 November 2022 (dialogue) ----
    page("biden-xi-bali-herald", "herald", "/world/2022/nov/14/biden-xi-bali-meeting-g20",
         "2022-11-14T14:20:00+00:00", "Monday 14 November 2022", "Oliver Grant",
         "Biden and Xi hold first face-to-face talks in Bali ahead of G20",
         "The two leaders spoke for more than three hours", [
             "US President Joe Biden and Chinese President Xi Jinping met in Bali on Monday, the first in-person talks between the two since Biden took office.",
             "The meeting, at a hotel on the Indonesian island on the eve of the G20 summit, lasted more than three hours. Biden said afterwards he did not think there was an imminent attempt by China to invade Taiwan.",
             "The two sides agreed that their senior officials would resume talks on climate change and debt relief.",
         ], "biden-xi-bali-2022", "dialogue", ["CHN", "USA"], distractor=True),

    # ---- Putin-Kim talks at Vostochny Cosmodrome, 13 September 2023 (dialogue) ----
    page("putin-kim-vostochny-eurasia", "eurasia", "/2023/09/13/putin-kim-jong-un-vostochny-cosmodrome-talks",
         "2023-09-13T14:05:00+00:00", "September 13, 2023 14:05 GMT", "Dmitri Orlov",
         "Putin hosts Kim at Russian spaceport, hints at satellite help",
         "", [
             "VOSTOCHNY COSMODROME, Russia, Sept 13 - Russian President Vladimir Putin held talks with North Korean leader Kim Jong Un at the Vostochny space launch centre in Russia's Far East on Wednesday.",
             "Asked whether Russia would help North Korea build satellites, Putin told state media: \"That is why we came here.\"",
             "Kim, who travelled to Russia by armoured train, told Putin that his country would support the Kremlin in its fight against what he called imperialism.",
         ], "putin-kim-vostochny-2023", "dialogue", ["PRK", "RUS"]),
    page("putin-kim-vostochny-pacific", "pacific", "/world/asia-pacific/kim-jong-un-putin-summit-arms-fears",
         "2023-09-14T07:40:00+10:00", "14 September 2023 7:40am AEST", "Megan Collins",
         "Kim and Putin summit fuels Western fears of arms deal",
         "", [
             "North Korean leader Kim Jong Un and Russian President Vladimir Putin met at the Vostochny cosmodrome in the Amur region on Wednesday for talks lasting several hours, including a lunch.",
             "The United States has warned that Pyongyang could supply artillery shells to Russia for the war in Ukraine in exchange for military technology.",
             "The Kremlin said no agreements were signed. Kim invited Putin to visit North Korea, and Putin accepted, North Korean state media reported.",
         ], "putin-kim-vostochny-2023", "dialogue", ["PRK", "RUS"]),
    page("putin-kim-vostochny-hanriver", "hanriver", "/northkorea/2023/09/14/kim-putin-summit-kcna",
         "2023-09-14T10:20:00+09:00", "2023.09.14 10:20", "Park Seo-yeon",
         "KCNA: Kim and Putin agree to deepen cooperation at cosmodrome talks",
         "Seoul warns of consequences of any arms transfer", [
             "North Korean state media said Thursday that leader Kim Jong Un and Russian President Vladimir Putin had a frank and open exchange of views at their summit a day earlier at the Vostochny Cosmodrome.",
             "Kim toured launch facilities with Putin before the talks, the Korean Central News Agency said.",
             "South Korea's foreign ministry said any cooperation that violates UN Security Council resolutions would be met with consequences.",
         ], "putin-kim-vostochny-2023", "dialogue", ["PRK", "RUS"]),

    # ---- Distractor: Putin-Kim talks in Pyongyang, 19 June 2024 (dialogue) ----
    page("putin-kim-pyongyang-eurasia", "eurasia", "/2024/06/19/putin-kim-pyongyang-defence-pact",
         "2024-06-19T13:50:00+00:00", "June 19, 2024 13:50 GMT", "Dmitri Orlov",
         "Putin and Kim sign mutual defence pact in Pyongyang",
         "", [
             "PYONGYANG, June 19 - Russian President Vladimir Putin and North Korean leader Kim Jong Un signed a comprehensive strategic partnership treaty on Wednesday that includes a pledge of mutual assistance if either is attacked.",
             "The two leaders held talks in Pyongyang on Putin's first visit to North Korea in 24 years. Kim called the treaty the strongest ever between the countries.",
             "Putin said Russia did not rule out developing military-technical cooperation with Pyongyang.",
         ], "putin-kim-pyongyang-2024", "dialogue", ["PRK", "RUS"], distractor=True),
    page("putin-kim-pyongyang-gazette", "gazette", "/world/asia/putin-kim-summit-pyongyang-treaty",
         "2024-06-19T18:30:00-04:00", "June 19, 2024 6:30 p.m. ET", "Anna Kowalski",
         "Kim hosts Putin with pomp as leaders deepen military ties",
         "", [
             "North Korea's Kim Jong Un welcomed Russian President Vladimir Putin in Pyongyang with a ceremony in Kim Il Sung Square on Wednesday before the two held talks.",
             "Their summit ended with a treaty obliging each side to provide military assistance to the other in case of aggression, alarming Seoul and Washington.",
             "Putin left for Vietnam later in the day.",
         ], "putin-kim-pyongyang-2024", "dialogue", ["PRK", "RUS"], distractor=True),

    # ---- Trump-Kim summit in Singapore, 12 June 2018 (dialogue) ----
    page("trump-kim-singapore-courier", "courier", "/world/2018/06/12/trump-kim-singapore-summit-denuclearization",
         "2018-06-12T09:45:00-04:00", "June 12, 2018", "James Whitfield",
         "Trump and Kim sign vague pledge on denuclearization after historic summit",
         "The first meeting between a sitting US president and a North Korean leader", [
             "SINGAPORE - President Donald Trump and North Korean leader Kim Jong Un met on Tuesday at the Capella hotel on Sentosa island, the first meeting ever between a sitting American president and a leader of North Korea.",
             "After a one-on-one session and expanded talks, the two signed a joint statement in which Kim committed to work toward complete denuclearization of the Korean Peninsula, without a timetable.",
             "Trump later said he would halt joint military exercises with South Korea, surprising officials in Seoul.",
         ], "trump-kim-singapore-2018", "dialogue", ["PRK", "USA"]),
    page("trump-kim-singapore-pacific", "pacific", "/world/asia-pacific/singapore-summit-handshake",
         "2018-06-12T22:10:00+10:00", "12 June 2018 10:10pm AEST", "Tom Harding",
         "A handshake on Sentosa: Kim and Trump make history in Singapore",
         "", [
             "Donald Trump and Kim Jong Un shook hands in front of a row of US and North Korean flags in Singapore on Tuesday before sitting down for talks that lasted about five hours including lunch.",
             "\"We had a really fantastic meeting,\" Trump said. Kim said the world would see a major change.",
             "Analysts noted that the joint document contained no verification measures.",
         ], "trump-kim-singapore-2018", "dialogue", ["PRK", "USA"]),
    page("trump-kim-singapore-review", "review", "/analysis/singapore-summit-one-week-on",
         "2018-06-19T07:00:00-04:00", "June 19, 2018", "Nadia Rahman",
         "One week after Singapore, what did Kim promise?",
         "The summit changed the tone, if not the substance", [
             "A week ago, Donald Trump and Kim Jong Un met in Singapore and signed a four-point statement that has since been read in very different ways in Washington and Pyongyang.",
             "North Korea's state media presented the summit as a meeting of equals, while Trump declared on Twitter that there was no longer a nuclear threat from North Korea.",
             "The real test will be the follow-up negotiations that Secretary of State Mike Pompeo is to lead.",
         ], "trump-kim-singapore-2018", "dialogue", ["PRK", "USA"], kicker="Korean Peninsula"),

    # ---- Distractor: Trump-Kim summit in Hanoi, 27-28 February 2019 (dialogue) ----
    page("trump-kim-hanoi-herald", "herald", "/world/2019/feb/28/trump-kim-hanoi-summit-collapses",
         "2019-02-28T10:30:00+00:00", "Thursday 28 February 2019", "Oliver Grant",
         "Trump and Kim summit in Hanoi ends abruptly without a deal",
         "Sanctions relief proved the sticking point", [
             "Donald Trump and Kim Jong Un cut short their second summit in Hanoi on Thursday after failing to agree on sanctions relief in exchange for steps to dismantle North Korea's nuclear programme.",
             "A planned working lunch and signing ceremony were cancelled. \"Sometimes you have to walk,\" Trump told a news conference.",
             "The two leaders had held talks over dinner at the Metropole hotel on Wednesday evening.",
         ], "trump-kim-hanoi-2019", "dialogue", ["PRK", "USA"], distractor=True),

    # ---- Biden-Putin summit in Geneva, 16 June 2021 (dialogue) ----
    page("biden-putin-geneva-meridian", "meridian", "/world/europe/biden-putin-geneva-summit-ambassadors",
         "2021-06-16T20:05:00+02:00", "June 16, 2021", "Marc Lefevre",
         "Biden and Putin agree to return ambassadors after Geneva talks",
         "Both called the meeting constructive, with little warmth", [
             "GENEVA - President Joe Biden and Russian President Vladimir Putin met for about three hours at an 18th-century villa on the shores of Lake Geneva on Wednesday.",
             "The two leaders agreed to return their ambassadors to each other's capitals and to start a dialogue on strategic stability, Putin said at a news conference after the talks.",
             "Biden said he had raised cyberattacks and the imprisonment of opposition leader Alexei Navalny.",
         ], "biden-putin-geneva-2021", "dialogue", ["RUS", "USA"]),
    page("biden-putin-geneva-ledger", "ledger", "/world/us-russia-summit-geneva-biden-putin-outcome",
         "2021-06-17T07:20:00+05:30", "June 17, 2021, 07:20 IST", "Ritika Sharma",
         "Biden-Putin summit: leaders agree on strategic stability talks",
         "", [
             "US President Joe Biden and his Russian counterpart Vladimir Putin held their first summit in Geneva on Wednesday, agreeing to launch talks on arms control.",
             "In a joint statement, the two presidents reaffirmed the principle that a nuclear war cannot be won and must never be fought.",
             "The meeting at Villa La Grange lasted less time than planned, officials said.",
         ], "biden-putin-geneva-2021", "dialogue", ["RUS", "USA"]),
    page("biden-putin-geneva-gazette", "gazette", "/world/europe/geneva-summit-analysis-biden-putin",
         "2021-06-18T11:00:00-04:00", "June 18, 2021", "Anna Kowalski",
         "Geneva talks lower the temperature between Washington and Moscow",
         "", [
             "Wednesday's summit between Joe Biden and Vladimir Putin in Geneva produced few breakthroughs, but diplomats in both capitals said the two sides had at least agreed to keep talking.",
             "The leaders met at Villa La Grange with their foreign ministers, Antony Blinken and Sergei Lavrov, before continuing in a larger format.",
             "Cybersecurity experts from both countries are to begin consultations in the coming weeks.",
         ], "biden-putin-geneva-2021", "dialogue", ["RUS", "USA"]),

    # ---- Biden's planned stop in Papua New Guinea, 22 May 2023, cancelled (visit) ----
    page("biden-png-announced-pacific", "pacific", "/world/pacific/biden-port-moresby-visit-first-president",
         "2023-05-03T10:30:00+10:00", "3 May 2023 10:30am AEST", "Megan Collins",
         "Biden to become first sitting US president to visit Papua New Guinea",
         "", [
             "US President Joe Biden will stop in Port Moresby on May 22, on his way from the G7 summit in Japan to Australia, the White House said, the first visit by a sitting US president to Papua New Guinea.",
             "Biden will meet Prime Minister James Marape and leaders of Pacific Islands Forum countries during the stop, White House press secretary Karine Jean-Pierre said.",
             "Washington and Port Moresby are expected to sign a defence cooperation agreement as the United States competes with China for influence in the Pacific.",
         ], "biden-png-2023", "visit", ["PNG", "USA"]),
    page("biden-png-preview-herald", "herald", "/world/2023/may/10/papua-new-guinea-prepares-biden-visit",
         "2023-05-10T08:30:00+01:00", "Wednesday 10 May 2023", "Claire Dubois",
         "Papua New Guinea declares holiday for Biden visit",
         "", [
             "Papua New Guinea's prime minister, James Marape, has declared a public holiday for May 22, when Joe Biden is due to visit Port Moresby for a few hours.",
             "Marape said the visit by the US president would put the Pacific nation on the world map. Indian Prime Minister Narendra Modi is also expected in the capital that week.",
             "The two governments are set to sign a security pact allowing greater US military access.",
         ], "biden-png-2023", "visit", ["PNG", "USA"]),
    page("biden-png-cancelled-pacific", "pacific", "/world/pacific/biden-cancels-png-australia-trip-debt-ceiling",
         "2023-05-17T09:05:00+10:00", "17 May 2023 9:05am AEST", "Tom Harding",
         "Biden cancels Papua New Guinea and Australia stops over debt talks",
         "", [
             "US President Joe Biden has cancelled his planned visit to Papua New Guinea and postponed his trip to Australia to focus on debt ceiling negotiations in Washington, the White House said.",
             "Biden will still attend the G7 summit in Hiroshima but will return to the United States on Sunday.",
             "Papua New Guinea's prime minister James Marape said he was disappointed. Secretary of State Antony Blinken will travel to Port Moresby instead.",
         ], "biden-png-2023", "visit", ["PNG", "USA"]),
    page("biden-png-cancelled-courier", "courier", "/politics/2023/05/16/biden-scraps-pacific-leg-debt-limit",
         "2023-05-16T19:40:00-04:00", "May 16, 2023", "Helen Marsh",
         "Biden scraps Pacific leg of trip as debt standoff drags on",
         "", [
             "President Biden on Tuesday called off a historic stop in Papua New Guinea, which would have been the first by a sitting American president, as well as a visit to Sydney for a meeting of the Quad.",
             "Aides said the president wanted to be back in Washington for talks with House Speaker Kevin McCarthy on raising the debt limit.",
             "Critics said the cancellation handed China an easy win in the Pacific.",
         ], "biden-png-2023", "visit", ["PNG", "USA"]),

    # ---- Fumio Kishida's official visit to the United States, April 2024 (visit) ----
    page("kishida-us-announced-meridian", "meridian", "/world/asia/kishida-state-dinner-white-house-april",
         "2024-03-09T11:00:00-05:00", "March 9, 2024", "Rachel Stone",
         "Biden to host Japan's Kishida for official visit and state dinner on April 10",
         "", [
             "President Joe Biden will welcome Japanese Prime Minister Fumio Kishida to the White House on April 10 for an official visit that will include a state dinner, the White House said.",
             "The visit will highlight the strength of the alliance and cooperation on security, technology and space, a spokesperson said.",
             "Kishida is also expected to address a joint meeting of Congress during the trip.",
         ], "kishida-us-2024", "visit", ["JPN", "USA"]),
    page("kishida-us-preview-hanriver", "hanriver", "/world/2024/04/05/kishida-washington-trilateral-marcos",
         "2024-04-05T16:00:00+09:00", "2024.04.05 16:00", "Lee Min-ho",
         "Kishida to travel to Washington next week, trilateral with Marcos planned",
         "", [
             "Japanese Prime Minister Fumio Kishida will travel to the United States next week for a state visit, during which he will hold summit talks with President Joe Biden and join a first trilateral summit with Philippine President Ferdinand Marcos Jr.",
             "Japanese officials said Kishida would leave Tokyo on April 8 and return on April 14, with a stop in North Carolina to visit Japanese-invested factories.",
             "The leaders are expected to announce an upgrade of the command structure of US forces in Japan.",
         ], "kishida-us-2024", "visit", ["JPN", "USA"]),
    page("kishida-us-departure-pacific", "pacific", "/world/asia-pacific/kishida-departs-for-us-visit",
         "2024-04-08T19:30:00+10:00", "8 April 2024 7:30pm AEST", "Megan Collins",
         "Kishida sets off for Washington as Japan steps up defence role",
         "", [
             "Japanese Prime Minister Fumio Kishida left Tokyo on Monday for a week-long visit to the United States, the first official visit with a state dinner by a Japanese leader in nine years.",
             "Kishida will meet President Joe Biden at the White House on Wednesday and address Congress on Thursday.",
             "\"I want to show that Japan and the US are global partners,\" Kishida told reporters before boarding his plane.",
         ], "kishida-us-2024", "visit", ["JPN", "USA"]),

    # ---- Modi-Xi talks in Kazan, 23 October 2024 (dialogue) ----
    page("modi-xi-kazan-ledger", "ledger", "/world/modi-xi-bilateral-kazan-brics-border",
         "2024-10-23T21:40:00+05:30", "October 23, 2024, 21:40 IST", "Anil Verma",
         "Modi, Xi hold first bilateral talks in five years on BRICS sidelines",
         "Leaders endorse border patrolling agreement", [
             "Prime Minister Narendra Modi and Chinese President Xi Jinping held bilateral talks in Kazan on Wednesday on the sidelines of the BRICS summit, their first structured meeting in five years.",
             "The two leaders welcomed the agreement reached earlier this week on patrolling along the Line of Actual Control, and directed their special representatives to meet soon.",
             "\"Peace and stability on the border should remain our priority,\" Modi said at the start of the roughly 50-minute meeting.",
         ], "modi-xi-kazan-2024", "dialogue", ["CHN", "IND"]),
    page("modi-xi-kazan-eurasia", "eurasia", "/2024/10/23/xi-modi-meet-kazan-thaw",
         "2024-10-23T17:55:00+00:00", "October 23, 2024 17:55 GMT", "Lin Wei",
         "Xi and Modi meet in Kazan as China-India ties thaw",
         "", [
             "KAZAN, Russia, Oct 23 - Chinese President Xi Jinping met Indian Prime Minister Narendra Modi in the Russian city of Kazan on Wednesday, days after the two neighbours announced a deal to ease a military standoff on their Himalayan border.",
             "Xi said China and India should strengthen communication and cooperation and properly handle their differences, Chinese state media reported.",
             "Their last formal bilateral talks were held in Mamallapuram in India in 2019, before deadly clashes in the Galwan valley in 2020.",
         ], "modi-xi-kazan-2024", "dialogue", ["CHN", "IND"]),
    page("modi-xi-kazan-review", "review", "/analysis/kazan-meeting-india-china-reset",
         "2024-10-28T08:00:00-04:00", "October 28, 2024", "Nadia Rahman",
         "Kazan handshake: a cautious reset between India and China",
         "Last week's meeting was short on detail but long on symbolism", [
             "When Narendra Modi and Xi Jinping sat down together in Kazan last Wednesday, it was their first formal meeting since 2019.",
             "The talks, held on the margins of a BRICS summit hosted by Vladimir Putin, followed a patrolling arrangement that lets both armies return to areas of eastern Ladakh.",
             "Officials in New Delhi say trust will take years to rebuild.",
         ], "modi-xi-kazan-2024", "dialogue", ["CHN", "IND"], kicker="South Asia"),
]


# ---- Gold events: what a perfect extractor would publish for each page ----
# (type, status, actors, location, start, end); actors are
# (name, title, country, role, kind). Used to score the clustering alone.

def person(name, title, country, role):
    return {"name": name, "title": title, "country": country, "role": role, "kind": "person"}


def country(code, role):
    return {"name": code, "country": code, "role": role, "kind": "country"}


def visit(visitor, host, place, start=None, end=None, etype="state_visit_announced"):
    return {"type": etype, "status": "planned", "actors": [visitor, host],
            "location": {"name": place[0], "country": place[1]},
            "start_date": start, "end_date": end or start}


def talks(a, b, place, day, mode="in_person"):
    return {"type": "dialogue_held", "status": "occurred", "actors": [a, b],
            "location": {"name": place[0], "country": place[1]},
            "start_date": day, "end_date": day, "mode": mode}


XI = ("Xi Jinping", "President", "CHN")
MACRON = ("Emmanuel Macron", "President", "FRA")
YOON = ("Yoon Suk Yeol", "President", "KOR")
KISHIDA = ("Fumio Kishida", "Prime Minister", "JPN")
MODI = ("Narendra Modi", "Prime Minister", "IND")
BIDEN = ("Joe Biden", "President", "USA")
PUTIN = ("Vladimir Putin", "President", "RUS")
KIM = ("Kim Jong Un", "leader", "PRK")
TRUMP = ("Donald Trump", "President", "USA")


def p(who, role):
    return person(who[0], who[1], who[2], role)


GOLD_EVENTS = {
    "xi-france-announced-eurasia": visit(p(XI, "visitor"), p(MACRON, "inviter"), ("France", "FRA"), "2024-05-05", "2024-05-07"),
    "xi-france-preview-herald": visit(p(XI, "visitor"), p(MACRON, "host"), ("Paris", "FRA"), "2024-05-06"),
    "xi-france-eve-meridian": visit(p(XI, "visitor"), p(MACRON, "host"), ("France", "FRA"), "2024-05-05", "2024-05-07"),
    "xi-serbia-announced-eurasia": visit(p(XI, "visitor"), person("Aleksandar Vucic", "President", "SRB", "host"), ("Belgrade", "SRB"), "2024-05-07", "2024-05-08"),
    "xi-serbia-preview-pacific": visit(p(XI, "visitor"), person("Aleksandar Vucic", "President", "SRB", "host"), ("Serbia", "SRB"), "2024-05-07", "2024-05-08"),
    "yoon-japan-announced-hanriver": visit(p(YOON, "visitor"), p(KISHIDA, "inviter"), ("Japan", "JPN"), "2023-03-16", "2023-03-17"),
    "yoon-japan-preview-review": visit(p(YOON, "visitor"), country("JPN", "host"), ("Tokyo", "JPN"), "2023-03-16", "2023-03-17"),
    "yoon-japan-eve-gazette": visit(p(YOON, "visitor"), country("JPN", "host"), ("Tokyo", "JPN"), "2023-03-16"),
    "yoon-kishida-talks-hanriver": talks(p(YOON, "participant"), p(KISHIDA, "participant"), ("Tokyo", "JPN"), "2023-03-16"),
    "yoon-kishida-talks-pacific": talks(p(KISHIDA, "host"), p(YOON, "visitor"), ("Tokyo", "JPN"), "2023-03-16"),
    "yoon-kishida-talks-followup-courier": talks(p(KISHIDA, "participant"), p(YOON, "participant"), ("Tokyo", "JPN"), "2023-03-16"),
    "park-hayashi-talks-hanriver": talks(person("Park Jin", "Foreign Minister", "KOR", "participant"),
                                         person("Yoshimasa Hayashi", "Foreign Minister", "JPN", "participant"), ("Tokyo", "JPN"), "2023-03-16"),
    "kishida-seoul-announced-hanriver": visit(p(KISHIDA, "visitor"), p(YOON, "host"), ("Seoul", "KOR"), "2023-05-07", "2023-05-08"),
    "kishida-seoul-preview-gazette": visit(p(KISHIDA, "visitor"), p(YOON, "host"), ("Seoul", "KOR"), "2023-05-07", "2023-05-08"),
    "modi-us-announced-ledger": visit(p(MODI, "visitor"), p(BIDEN, "host"), ("United States", "USA"), "2023-06-22"),
    "modi-us-preview-courier": visit(p(MODI, "visitor"), p(BIDEN, "host"), ("Washington", "USA"), "2023-06-22"),
    "modi-us-departure-pacific": visit(p(MODI, "visitor"), p(BIDEN, "host"), ("United States", "USA"), "2023-06-21", "2023-06-22"),
    "modi-egypt-announced-tribune": visit(p(MODI, "visitor"), person("Abdel Fattah al-Sisi", "President", "EGY", "inviter"), ("Egypt", "EGY"), "2023-06-24", "2023-06-25"),
    "biden-xi-woodside-meridian": talks(p(BIDEN, "participant"), p(XI, "participant"), ("Woodside", "USA"), "2023-11-15"),
    "biden-xi-woodside-eurasia": talks(p(XI, "participant"), p(BIDEN, "participant"), ("Woodside", "USA"), "2023-11-15"),
    "biden-xi-woodside-review": talks(p(BIDEN, "participant"), p(XI, "participant"), ("Woodside", "USA"), "2023-11-15"),
    "biden-xi-bali-herald": talks(p(BIDEN, "participant"), p(XI, "participant"), ("Bali", "IDN"), "2022-11-14"),
    "putin-kim-vostochny-eurasia": talks(p(PUTIN, "host"), p(KIM, "visitor"), ("Vostochny Cosmodrome", "RUS"), "2023-09-13"),
    "putin-kim-vostochny-pacific": talks(p(KIM, "participant"), p(PUTIN, "participant"), ("Vostochny Cosmodrome", "RUS"), "2023-09-13"),
    "putin-kim-vostochny-hanriver": talks(p(KIM, "participant"), p(PUTIN, "participant"), ("Vostochny Cosmodrome", "RUS"), "2023-09-13"),
    "putin-kim-pyongyang-eurasia": talks(p(PUTIN, "visitor"), p(KIM, "host"), ("Pyongyang", "PRK"), "2024-06-19"),
    "putin-kim-pyongyang-gazette": talks(p(KIM, "host"), p(PUTIN, "visitor"), ("Pyongyang", "PRK"), "2024-06-19"),
    "trump-kim-singapore-courier": talks(p(TRUMP, "participant"), p(KIM, "participant"), ("Singapore", "SGP"), "2018-06-12"),
    "trump-kim-singapore-pacific": talks(p(TRUMP, "participant"), p(KIM, "participant"), ("Singapore", "SGP"), "2018-06-12"),
    "trump-kim-singapore-review": talks(p(TRUMP, "participant"), p(KIM, "participant"), ("Singapore", "SGP"), "2018-06-12"),
    "trump-kim-hanoi-herald": talks(p(TRUMP, "participant"), p(KIM, "participant"), ("Hanoi", "VNM"), "2019-02-27") | {"end_date": "2019-02-28"},
    "biden-putin-geneva-meridian": talks(p(BIDEN, "participant"), p(PUTIN, "participant"), ("Geneva", "CHE"), "2021-06-16"),
    "biden-putin-geneva-ledger": talks(p(BIDEN, "participant"), p(PUTIN, "participant"), ("Geneva", "CHE"), "2021-06-16"),
    "biden-putin-geneva-gazette": talks(p(BIDEN, "participant"), p(PUTIN, "participant"), ("Geneva", "CHE"), "2021-06-16"),
    "biden-png-announced-pacific": visit(p(BIDEN, "visitor"), person("James Marape", "Prime Minister", "PNG", "host"), ("Port Moresby", "PNG"), "2023-05-22"),
    "biden-png-preview-herald": visit(p(BIDEN, "visitor"), person("James Marape", "Prime Minister", "PNG", "host"), ("Port Moresby", "PNG"), "2023-05-22"),
    "biden-png-cancelled-pacific": visit(p(BIDEN, "visitor"), country("PNG", "host"), ("Papua New Guinea", "PNG"), etype="visit_cancelled"),
    "biden-png-cancelled-courier": visit(p(BIDEN, "visitor"), country("PNG", "host"), ("Papua New Guinea", "PNG"), etype="visit_cancelled"),
    "kishida-us-announced-meridian": visit(p(KISHIDA, "visitor"), p(BIDEN, "host"), ("Washington", "USA"), "2024-04-10"),
    "kishida-us-preview-hanriver": visit(p(KISHIDA, "visitor"), p(BIDEN, "host"), ("United States", "USA"), "2024-04-08", "2024-04-14"),
    "kishida-us-departure-pacific": visit(p(KISHIDA, "visitor"), p(BIDEN, "host"), ("Washington", "USA"), "2024-04-08", "2024-04-14"),
    "modi-xi-kazan-ledger": talks(p(MODI, "participant"), p(XI, "participant"), ("Kazan", "RUS"), "2024-10-23"),
    "modi-xi-kazan-eurasia": talks(p(XI, "participant"), p(MODI, "participant"), ("Kazan", "RUS"), "2024-10-23"),
    "modi-xi-kazan-review": talks(p(MODI, "participant"), p(XI, "participant"), ("Kazan", "RUS"), "2024-10-23"),
}
