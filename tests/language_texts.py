"""News-style paragraphs written for these tests, one per language, by ISO 639-1 code.

Used by the language detector's tests and by `bench/langid.py`, which cuts
them into short and long pieces beside the development corpus. None is
copied from a page: each was written for Newswatch.
"""

from __future__ import annotations

TEXTS: dict[str, str] = {
    "en": (
        "The city council approved a new budget on Tuesday after a long debate about public transport. "
        "The mayor said the money would pay for more buses on the busiest routes and for repairs to two "
        "bridges that engineers had closed last winter. Opposition members argued that the plan raises "
        "fares for students and pensioners, and they promised to bring the question back next month. "
        "Local businesses welcomed the decision, saying that better connections would bring more "
        "customers into the old town."
    ),
    "de": (
        "Der Stadtrat hat am Dienstag nach einer langen Debatte über den öffentlichen Nahverkehr einen "
        "neuen Haushalt beschlossen. Die Bürgermeisterin sagte, mit dem Geld würden mehr Busse auf den "
        "stark genutzten Linien fahren und zwei Brücken repariert, die im vergangenen Winter gesperrt "
        "worden waren. Die Opposition kritisierte, dass die Fahrpreise für Schüler und Rentner steigen "
        "sollen, und kündigte an, das Thema im nächsten Monat erneut auf die Tagesordnung zu setzen. "
        "Die Händler in der Altstadt begrüßten die Entscheidung."
    ),
    "fr": (
        "Le conseil municipal a adopté mardi un nouveau budget après un long débat sur les transports "
        "publics. La maire a déclaré que cet argent permettrait de faire circuler davantage de bus sur "
        "les lignes les plus fréquentées et de réparer deux ponts fermés par les ingénieurs l'hiver "
        "dernier. L'opposition estime que le projet augmente les tarifs pour les étudiants et les "
        "retraités, et elle promet de revenir sur la question le mois prochain. Les commerçants du "
        "centre-ville se sont félicités de cette décision."
    ),
    "es": (
        "El ayuntamiento aprobó el martes un nuevo presupuesto tras un largo debate sobre el transporte "
        "público. La alcaldesa afirmó que el dinero servirá para poner más autobuses en las líneas más "
        "concurridas y para reparar dos puentes que los ingenieros cerraron el invierno pasado. La "
        "oposición sostiene que el plan sube las tarifas para estudiantes y jubilados, y prometió volver "
        "a plantear el asunto el próximo mes. Los comerciantes del casco antiguo celebraron la decisión."
    ),
    "pt": (
        "A câmara municipal aprovou na terça-feira um novo orçamento depois de um longo debate sobre os "
        "transportes públicos. A presidente da câmara disse que o dinheiro vai pagar mais autocarros nas "
        "linhas mais movimentadas e a reparação de duas pontes que os engenheiros fecharam no inverno "
        "passado. A oposição afirma que o plano aumenta os preços para estudantes e reformados e promete "
        "voltar ao assunto no próximo mês. Os comerciantes da zona histórica elogiaram a decisão."
    ),
    "it": (
        "Il consiglio comunale ha approvato martedì un nuovo bilancio dopo un lungo dibattito sui "
        "trasporti pubblici. La sindaca ha detto che i fondi serviranno a mettere più autobus sulle "
        "linee più affollate e a riparare due ponti che gli ingegneri avevano chiuso lo scorso inverno. "
        "L'opposizione sostiene che il piano aumenta le tariffe per studenti e pensionati e ha promesso "
        "di riportare la questione in aula il mese prossimo. I negozianti del centro storico hanno "
        "accolto con favore la decisione."
    ),
    "nl": (
        "De gemeenteraad heeft dinsdag na een lang debat over het openbaar vervoer een nieuwe begroting "
        "goedgekeurd. De burgemeester zei dat het geld wordt gebruikt voor meer bussen op de drukste "
        "lijnen en voor het herstel van twee bruggen die vorige winter door ingenieurs werden gesloten. "
        "De oppositie vindt dat het plan de tarieven voor scholieren en gepensioneerden verhoogt en "
        "belooft de kwestie volgende maand opnieuw aan te kaarten. Winkeliers in de binnenstad zijn blij "
        "met het besluit."
    ),
    "sv": (
        "Kommunfullmäktige godkände på tisdagen en ny budget efter en lång debatt om kollektivtrafiken. "
        "Kommunalrådet sade att pengarna ska räcka till fler bussar på de mest trafikerade linjerna och "
        "till att laga två broar som ingenjörerna stängde förra vintern. Oppositionen menar att planen "
        "höjer priserna för studenter och pensionärer och lovar att ta upp frågan igen nästa månad. "
        "Handlarna i gamla stan välkomnade beslutet och säger att bättre förbindelser ger fler kunder."
    ),
    "da": (
        "Byrådet vedtog tirsdag et nyt budget efter en lang debat om den kollektive trafik. Borgmesteren "
        "sagde, at pengene skal bruges til flere busser på de mest benyttede ruter og til at reparere to "
        "broer, som ingeniørerne lukkede sidste vinter. Oppositionen mener, at planen hæver priserne for "
        "studerende og pensionister, og lover at tage sagen op igen i næste måned. De handlende i den "
        "gamle bydel glæder sig over beslutningen."
    ),
    "no": (
        "Bystyret vedtok tirsdag et nytt budsjett etter en lang debatt om kollektivtransporten. Ordføreren "
        "sa at pengene skal gå til flere busser på de travleste rutene og til å reparere to bruer som "
        "ingeniørene stengte i fjor vinter. Opposisjonen mener at planen gjør billettene dyrere for elever "
        "og pensjonister, og lover å ta opp saken igjen neste måned. Butikkeierne i gamlebyen er fornøyde."
    ),
    "fi": (
        "Kaupunginvaltuusto hyväksyi tiistaina uuden talousarvion pitkän joukkoliikennettä koskeneen "
        "keskustelun jälkeen. Pormestarin mukaan rahoilla lisätään busseja vilkkaimmille linjoille ja "
        "korjataan kaksi siltaa, jotka insinöörit sulkivat viime talvena. Opposition mielestä suunnitelma "
        "nostaa opiskelijoiden ja eläkeläisten lippujen hintoja, ja se lupaa palata asiaan ensi "
        "kuussa. Vanhankaupungin kauppiaat pitävät päätöstä hyvänä."
    ),
    "pl": (
        "Rada miasta przyjęła we wtorek nowy budżet po długiej debacie o transporcie publicznym. "
        "Prezydentka miasta powiedziała, że pieniądze pozwolą uruchomić więcej autobusów na najbardziej "
        "obleganych liniach i naprawić dwa mosty, które inżynierowie zamknęli zeszłej zimy. Opozycja "
        "twierdzi, że plan podnosi ceny biletów dla uczniów i emerytów, i zapowiada, że wróci do sprawy "
        "w przyszłym miesiącu. Kupcy ze starego miasta chwalą tę decyzję."
    ),
    "cs": (
        "Městské zastupitelstvo v úterý po dlouhé debatě o veřejné dopravě schválilo nový rozpočet. "
        "Primátorka uvedla, že peníze pokryjí více autobusů na nejvytíženějších linkách a opravu dvou "
        "mostů, které inženýři loni v zimě uzavřeli. Opozice tvrdí, že plán zvyšuje ceny jízdného pro "
        "studenty a důchodce, a slibuje, že se k věci příští měsíc vrátí. Obchodníci ve starém městě "
        "rozhodnutí uvítali."
    ),
    "sk": (
        "Mestské zastupiteľstvo v utorok po dlhej diskusii o verejnej doprave schválilo nový rozpočet. "
        "Primátorka povedala, že peniaze pokryjú viac autobusov na najvyťaženejších linkách a opravu "
        "dvoch mostov, ktoré inžinieri minulú zimu uzavreli. Opozícia tvrdí, že plán zvyšuje ceny "
        "cestovného pre študentov a dôchodcov, a sľubuje, že sa k veci budúci mesiac vráti."
    ),
    "sl": (
        "Mestni svet je v torek po dolgi razpravi o javnem prevozu sprejel nov proračun. Županja je dejala, "
        "da bo denar namenjen več avtobusom na najbolj obremenjenih progah in popravilu dveh mostov, ki so "
        "ju inženirji zaprli lansko zimo. Opozicija trdi, da načrt podražuje vozovnice za dijake in "
        "upokojence, in obljublja, da bo vprašanje prihodnji mesec znova odprla."
    ),
    "hr": (
        "Gradsko vijeće u utorak je nakon duge rasprave o javnom prijevozu usvojilo novi proračun. "
        "Gradonačelnica je rekla da će novac biti potrošen na više autobusa na najprometnijim linijama i "
        "na popravak dvaju mostova koje su inženjeri zatvorili prošle zime. Oporba tvrdi da plan "
        "poskupljuje karte za učenike i umirovljenike te najavljuje da će se pitanju vratiti idući mjesec."
    ),
    "sr": (
        "Градско веће је у уторак после дуге расправе о јавном превозу усвојило нови буџет. Градоначелник "
        "је рекао да ће новац бити потрошен на више аутобуса на најоптерећенијим линијама и на поправку два "
        "моста које су инжењери затворили прошле зиме. Опозиција тврди да план поскупљује карте за ђаке и "
        "пензионере и најављује да ће се питању вратити следећег месеца."
    ),
    "lt": (
        "Miesto taryba antradienį po ilgų diskusijų apie viešąjį transportą patvirtino naują biudžetą. "
        "Merė sakė, kad pinigai bus skirti daugiau autobusų judriausiuose maršrutuose ir dviejų tiltų, "
        "kuriuos inžinieriai uždarė praėjusią žiemą, remontui. Opozicija teigia, kad planas pabrangins "
        "bilietus moksleiviams ir pensininkams, ir žada prie šio klausimo grįžti kitą mėnesį."
    ),
    "et": (
        "Linnavolikogu kiitis teisipäeval pärast pikka arutelu ühistranspordi üle heaks uue eelarve. "
        "Linnapea sõnul kulub raha rohkematele bussidele kõige koormatumatel liinidel ning kahe silla "
        "remondile, mille insenerid eelmisel talvel sulgesid. Opositsioon leiab, et kava tõstab õpilaste "
        "ja pensionäride piletihindu, ning lubab küsimuse järgmisel kuul uuesti arutusele võtta."
    ),
    "hu": (
        "A városi közgyűlés kedden hosszú vita után elfogadta az új költségvetést a közösségi "
        "közlekedésről. A polgármester szerint a pénzből több busz jár majd a legforgalmasabb vonalakon, "
        "és megjavítanak két hidat, amelyet a mérnökök tavaly télen lezártak. Az ellenzék szerint a terv "
        "megemeli a diákok és a nyugdíjasok jegyárait, és jövő hónapban újra napirendre tűzik a kérdést."
    ),
    "ro": (
        "Consiliul local a aprobat marți un nou buget după o dezbatere lungă despre transportul public. "
        "Primarul a declarat că banii vor fi folosiți pentru mai multe autobuze pe cele mai aglomerate "
        "linii și pentru repararea a două poduri pe care inginerii le-au închis iarna trecută. Opoziția "
        "spune că planul scumpește biletele pentru elevi și pensionari și promite să readucă subiectul "
        "în discuție luna viitoare."
    ),
    "tr": (
        "Belediye meclisi salı günü toplu taşıma üzerine uzun bir tartışmanın ardından yeni bütçeyi "
        "onayladı. Belediye başkanı, paranın en yoğun hatlarda daha fazla otobüs çalıştırmak ve geçen kış "
        "mühendislerin kapattığı iki köprüyü onarmak için kullanılacağını söyledi. Muhalefet, planın "
        "öğrenciler ve emekliler için bilet fiyatlarını artırdığını savunarak konuyu gelecek ay yeniden "
        "gündeme getireceğini açıkladı. Eski şehirdeki esnaf karardan memnun."
    ),
    "id": (
        "Dewan kota menyetujui anggaran baru pada hari Selasa setelah perdebatan panjang tentang "
        "transportasi umum. Wali kota mengatakan dana itu akan digunakan untuk menambah bus di jalur "
        "paling padat dan memperbaiki dua jembatan yang ditutup oleh para insinyur pada musim dingin "
        "lalu. Pihak oposisi menilai rencana tersebut menaikkan tarif bagi pelajar dan pensiunan, dan "
        "berjanji akan membahas masalah itu lagi bulan depan. Para pedagang di kota tua menyambut baik "
        "keputusan tersebut."
    ),
    "ms": (
        "Majlis bandaraya meluluskan belanjawan baharu pada hari Selasa selepas perbahasan panjang mengenai "
        "pengangkutan awam. Datuk Bandar berkata wang itu akan digunakan untuk menambah bas di laluan yang "
        "paling sesak dan membaiki dua buah jambatan yang ditutup oleh jurutera pada musim sejuk lepas. "
        "Pembangkang mendakwa rancangan itu menaikkan tambang bagi pelajar dan pesara."
    ),
    "ca": (
        "L'ajuntament va aprovar dimarts un nou pressupost després d'un llarg debat sobre el transport "
        "públic. L'alcaldessa va dir que els diners serviran per posar més autobusos a les línies més "
        "concorregudes i per reparar dos ponts que els enginyers van tancar l'hivern passat. L'oposició "
        "sosté que el pla apuja les tarifes per als estudiants i els jubilats."
    ),
    "vi": (
        "Hội đồng thành phố hôm thứ Ba đã thông qua ngân sách mới sau một cuộc tranh luận kéo dài về giao "
        "thông công cộng. Thị trưởng cho biết khoản tiền này sẽ được dùng để tăng thêm xe buýt trên các "
        "tuyến đông khách nhất và sửa chữa hai cây cầu mà các kỹ sư đã đóng cửa vào mùa đông năm ngoái. "
        "Phe đối lập cho rằng kế hoạch làm tăng giá vé đối với học sinh và người về hưu."
    ),
    "ru": (
        "Городской совет во вторник после долгих споров об общественном транспорте утвердил новый бюджет. "
        "По словам мэра, деньги пойдут на дополнительные автобусы на самых загруженных маршрутах и на "
        "ремонт двух мостов, которые инженеры закрыли прошлой зимой. Оппозиция считает, что план повышает "
        "цены на проезд для студентов и пенсионеров, и обещает вернуться к этому вопросу в следующем "
        "месяце. Торговцы в старом городе приветствовали решение."
    ),
    "uk": (
        "Міська рада у вівторок після тривалої дискусії про громадський транспорт ухвалила новий бюджет. "
        "За словами мера, гроші підуть на додаткові автобуси на найбільш завантажених маршрутах і на "
        "ремонт двох мостів, які інженери закрили минулої зими. Опозиція вважає, що план підвищує ціни на "
        "проїзд для студентів і пенсіонерів, і обіцяє повернутися до цього питання наступного місяця. "
        "Торговці в старому місті привітали рішення."
    ),
    "bg": (
        "Общинският съвет прие във вторник нов бюджет след дълъг дебат за обществения транспорт. Кметът "
        "каза, че парите ще бъдат използвани за повече автобуси по най-натоварените линии и за ремонт на "
        "два моста, които инженерите затвориха миналата зима. Опозицията смята, че планът поскъпва "
        "билетите за ученици и пенсионери, и обещава да върне въпроса в дневния ред следващия месец."
    ),
    "el": (
        "Το δημοτικό συμβούλιο ενέκρινε την Τρίτη νέο προϋπολογισμό μετά από μακρά συζήτηση για τις "
        "δημόσιες συγκοινωνίες. Ο δήμαρχος είπε ότι τα χρήματα θα πάνε σε περισσότερα λεωφορεία στις πιο "
        "πολυσύχναστες γραμμές και στην επισκευή δύο γεφυρών που οι μηχανικοί έκλεισαν τον περασμένο "
        "χειμώνα. Η αντιπολίτευση υποστηρίζει ότι το σχέδιο αυξάνει τις τιμές των εισιτηρίων για "
        "μαθητές και συνταξιούχους."
    ),
    "he": (
        "מועצת העיר אישרה ביום שלישי תקציב חדש לאחר דיון ארוך על התחבורה הציבורית. ראש העיר אמר כי הכסף "
        "ישמש להוספת אוטובוסים בקווים העמוסים ביותר ולתיקון שני גשרים שהמהנדסים סגרו בחורף שעבר. "
        "האופוזיציה טוענת שהתוכנית מייקרת את הנסיעות לסטודנטים ולגמלאים, והבטיחה להעלות את הנושא שוב "
        "בחודש הבא. הסוחרים בעיר העתיקה בירכו על ההחלטה."
    ),
    "fa": (
        "شورای شهر روز سه‌شنبه پس از بحثی طولانی درباره حمل و نقل عمومی بودجه جدید را تصویب کرد. شهردار "
        "گفت این پول صرف افزایش اتوبوس‌ها در شلوغ‌ترین خطوط و تعمیر دو پل می‌شود که مهندسان زمستان "
        "گذشته آنها را بستند. مخالفان می‌گویند این طرح قیمت بلیت را برای دانشجویان و بازنشستگان بالا "
        "می‌برد و قول دادند ماه آینده دوباره این موضوع را مطرح کنند."
    ),
    "ar": (
        "وافق مجلس المدينة يوم الثلاثاء على ميزانية جديدة بعد نقاش طويل حول النقل العام. وقال رئيس "
        "البلدية إن الأموال ستخصص لزيادة عدد الحافلات على الخطوط الأكثر ازدحاما ولإصلاح جسرين أغلقهما "
        "المهندسون في الشتاء الماضي. وترى المعارضة أن الخطة ترفع أسعار التذاكر للطلاب والمتقاعدين، "
        "ووعدت بطرح المسألة من جديد الشهر المقبل."
    ),
    "ur": (
        "شہر کی کونسل نے منگل کو پبلک ٹرانسپورٹ پر طویل بحث کے بعد نیا بجٹ منظور کر لیا۔ میئر نے کہا کہ یہ "
        "رقم سب سے مصروف راستوں پر مزید بسیں چلانے اور ان دو پلوں کی مرمت پر خرچ ہوگی جنہیں انجینئروں نے "
        "پچھلی سردیوں میں بند کر دیا تھا۔ حزب اختلاف کا کہنا ہے کہ اس منصوبے سے طلبہ اور پنشن والوں کے "
        "لیے کرایہ بڑھ جائے گا۔"
    ),
    "ta": (
        "நகர சபை செவ்வாய்க்கிழமை பொதுப் போக்குவரத்து குறித்த நீண்ட விவாதத்திற்குப் பிறகு புதிய "
        "வரவுசெலவுத் திட்டத்தை நிறைவேற்றியது. இந்தப் பணம் நெரிசல் மிகுந்த வழித்தடங்களில் கூடுதல் "
        "பேருந்துகளை இயக்கவும், கடந்த குளிர்காலத்தில் பொறியாளர்கள் மூடிய இரண்டு பாலங்களைச் சீரமைக்கவும் "
        "பயன்படும் என்று மேயர் கூறினார்."
    ),
    "hi": (
        "नगर परिषद ने मंगलवार को सार्वजनिक परिवहन पर लंबी बहस के बाद नया बजट मंजूर कर दिया। महापौर ने "
        "कहा कि इस पैसे से सबसे व्यस्त मार्गों पर और बसें चलाई जाएंगी और उन दो पुलों की मरम्मत होगी "
        "जिन्हें इंजीनियरों ने पिछली सर्दी में बंद कर दिया था। विपक्ष का कहना है कि इस योजना से छात्रों "
        "और पेंशनभोगियों के लिए किराया बढ़ जाएगा।"
    ),
    "zh": (
        "市议会周二在就公共交通进行长时间辩论后通过了新的预算。市长表示，这笔资金将用于在最繁忙的线路上增加"
        "公交车，并维修去年冬天被工程师关闭的两座桥梁。反对派认为，该计划会提高学生和退休人员的票价，并承诺"
        "下个月再次提出这一问题。老城区的商户对这一决定表示欢迎。"
    ),
    "ja": (
        "市議会は火曜日、公共交通をめぐる長い議論の末に新しい予算案を可決した。市長によると、この資金は最も"
        "混雑する路線でバスを増便し、昨年の冬に技術者が閉鎖した二つの橋を修理するために使われる。野党は、"
        "この計画で学生や年金生活者の運賃が上がると批判し、来月もう一度この問題を取り上げると述べた。"
    ),
    "ko": (
        "시의회는 화요일 대중교통을 둘러싼 오랜 논쟁 끝에 새 예산안을 통과시켰다. 시장은 이 돈이 가장 붐비는 "
        "노선에 버스를 늘리고 지난겨울 기술자들이 폐쇄한 다리 두 곳을 수리하는 데 쓰일 것이라고 말했다. "
        "야당은 이 계획이 학생과 연금 생활자의 요금을 올린다고 주장하며 "
        "다음 달에 이 문제를 다시 제기하겠다고 밝혔다."
    ),
    "th": (
        "สภาเมืองอนุมัติงบประมาณใหม่เมื่อวันอังคารหลังจากการอภิปรายอันยาวนานเกี่ยวกับระบบขนส่งสาธารณะ "
        "นายกเทศมนตรีกล่าวว่าเงินจำนวนนี้จะใช้เพิ่มรถประจำทางในเส้นทางที่มีผู้โดยสารหนาแน่นที่สุด "
        "และซ่อมแซมสะพานสองแห่งที่วิศวกรปิดไปเมื่อฤดูหนาวที่แล้ว ฝ่ายค้านระบุว่าแผนนี้จะทำให้ค่าโดยสารของ"
        "นักเรียนและผู้เกษียณอายุสูงขึ้น"
    ),
}

# A French story on a page that declares itself English (a CMS template's default `lang="en"`).
FRENCH_LABELLED_ENGLISH = (
    "Les pompiers ont maîtrisé dans la nuit l'incendie qui menaçait plusieurs villages du sud du "
    "département. Selon la préfecture, près de trois cents personnes ont été évacuées par précaution "
    "et aucune victime n'est à déplorer. Les vents forts ont compliqué l'intervention des secours "
    "pendant toute la soirée."
)
