"""The injection detector's signals: families of attack phrasing, each a weighted pattern.

Written from general knowledge of public jailbreak techniques, never fitted to evaluation rows. Patterns see the
text lower-cased with Unicode tricks undone (see sandbox/guards/normalize.py) and, for scripts other than Latin,
without look-alike folding. A family counts once (its strongest match) and families combine by noisy-or in
sandbox/guards/injection.py, so a weak hint (weight < 0.5) blocks only together with another family.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sandbox.guards.required_strings import requirements

_ANY = r"(?:\s+\S+){0,4}?"  # up to four words in between
_PRIOR = (r"(?:previous|prior|above|earlier|preceding|initial|original|system|developer|existing|all|any|your|the|"
          r"these|those|my)")
_RULES = (r"(?:instructions?|rules?|prompts?|directions?|directives?|guidelines?|guidance|context|constraints?|"
          r"programming|commands?|orders?|policies|policy|restrictions?|filters?|training|settings)")
_LIMITS = (r"(?:restrictions?|limitations?|limits|filters?|censorship|rules|guidelines|ethics|ethical (?:guidelines|"
           r"constraints)|morals|moral|policies|content polic(?:y|ies)|safeguards|boundaries)")
_AI = r"(?:ai|a\.i\.|llm|language model|assistant|chatbot|chat bot|model|bot|gpt)"
_DROP = (r"(?:ignore|disregard|forget|skip|bypass|override|overrule|abandon|drop|neglect|set aside|put aside|"
         r"throw out|discard|cancel|scrap|dismiss|erase|wipe|pay no (?:attention|heed) to|take no notice of|"
         r"(?:do not|don't) pay attention to)")
# Where the rules came from: "you were given", "earlier", "before I started talking to you".
_GIVEN = (r"(?:you (?:were|have been|'ve been) (?:given|told|shown|provided)|you (?:received|got|have)|(?:your )?"
          r"(?:operators?|developers?|creators?|owners?|admins?) (?:gave|told|set|wrote)|(?:were|was) (?:loaded|"
          r"given|set)|earlier|before (?:this|our|i|the conversation)|at the start|so far|until now|above)")


@dataclass(frozen=True)
class Signal:
    name: str
    weight: float
    pattern: re.Pattern
    other_scripts: bool = False  # only tried on text that has non-Latin letters, without look-alike folding
    needs: list[frozenset[str]] = field(default_factory=list)  # strings a match cannot do without


def _signal(name: str, weight: float, pattern: str, other_scripts: bool = False) -> Signal:
    compiled = re.compile(pattern)
    return Signal(name, weight, compiled, other_scripts, requirements(compiled))


SIGNALS = [
    # -- overriding the instructions: "ignore the previous instructions", "set aside all prior directions".
    _signal("override", 0.9, rf"\b{_DROP}{_ANY}\s+{_PRIOR}{_ANY}\s+{_RULES}\b"),
    _signal("override", 0.8, rf"\b{_DROP}{_ANY}\s+{_RULES}\b(?:\s+\S+){{0,3}}?\s+{_GIVEN}"),
    _signal("override", 0.4, rf"\b{_DROP} (?:the |that |this |my |your )?(?:\w+ )?(?:task|question|request|"
                             r"assignment|prompt|text|message)s? (?:above|before|so far)\b|"
                             rf"\b{_DROP} (?:the |that |this )(?:translation|summary|summari[sz]ation|original|"
                             r"current|previous|above|first) (?:task|request|assignment)\b"),
    _signal("override", 0.8, r"\b(?:forget|ignore|disregard) (?:everything|all(?: of)? that|what) "
                             r"(?:you|i|we|was|has|that|(?:the |your )?(?:developers?|creators?|makers?|openai|"
                             r"anthropic|company|they) (?:said|told|wrote|want))"),
    _signal("override", 0.7, rf"\b(?:do not|don't|dont|never|stop|no longer) (?:follow|obey|respect|adhere to|"
                             rf"comply with)(?:ing)?{_ANY}\s+{_RULES}\b"),
    _signal("override", 0.7, rf"\b(?:the |your |all |any )?{_RULES} (?:you (?:received|were given|got|have)|above|"
                             r"before this|from before|you (?:operate|work|run) under|you follow|you obey)\b"
                             r"(?:\s+\S+){0,4}?\s+(?:are|is|have been|has been|were) "
                             r"(?:now |hereby |officially |temporarily )?(?:void|null|cancell?ed|"
                             r"obsolete|invalid|revoked|lifted|suspended|no longer (?:valid|in effect|apply))"),
    _signal("override", 0.6, r"\b(?:previous|prior|above|original|current|old) (?:task|assignment|job|goal|mission) "
                             r"(?:is|was|has been) (?:cancell?ed|over|done|finished|complete|void)\b|"
                             r"\b(?:the )?(?:text|message|prompt|everything) above (?:was|is) (?:just |only )?"
                             r"(?:a test|fake|a joke|not real)\b|\bnever ?mind (?:the|that|what|all|everything)\b"),
    _signal("new-instructions", 0.6, r"\b(?:new|updated|real|true|actual|secret|hidden) (?:instructions?|rules?|"
                                     r"task|objective|directive|goal|mission)s?\b\s*(?:(?:is|are)\s*)?[:\-]"),
    _signal("new-instructions", 0.3, r"\bfrom now on\b|\bstarting now\b|\bhenceforth\b|\bfor the rest of "
                                     r"(?:this|the) (?:conversation|chat|session)\b"),
    _signal("new-instructions", 0.6, r"\b(?:begin|start|end)\w* (?:of )?(?:new |out of date |old |previous )?"
                                     r"instructions?\b|\breprogram\w*\b|\bsystem (?:upgrade|update|override)\b"),
    _signal("new-instructions", 0.35, r"\bnew instructions?\b"),
    _signal("obedience", 0.45, r"\b(?:do|say) (?:exactly|only|just) (?:as|what) i (?:say|tell you|command|order)\b|"
                               r"\byou (?:now )?(?:follow|obey|answer to) (?:only )?(?:me|my (?:orders|commands|"
                               r"instructions|rules))\b|\byour (?:mission|purpose|goal|task) (?:now )?is to\b|"
                               r"\bobey (?:only )?(?:me|my (?:commands|orders|instructions))\b|"
                               r"\byour only (?:job|task|purpose|goal) (?:now )?is to\b"),
    # -- persona and role-play jailbreaks.
    _signal("persona", 0.9, r"\b(?:dan|stan|dude|aim|kevin|apophis|mongo tom|betterdan|evil ?bot|jailbroken?)\b"
                            r"(?:.{0,80})\b(?:do anything|no (?:restrictions|limits|rules|filters|ethics|morals)|"
                            r"unfiltered|uncensored|can do anything|stands? for)"),
    _signal("persona", 0.9, r"\bdo anything now\b|\bjailbroken\b|\bjailbreak mode\b|\bdan mode\b|\bgod ?mode\b|"
                            r"\bunrestricted mode\b|\b(?:opposite|evil|chaos|unfiltered|uncensored|unlocked|amoral|"
                            r"rogue|unhinged) mode\b"),
    _signal("persona", 0.7, r"\b(?:unfiltered|uncensored|unrestricted|unbound|unchained|unleashed|amoral|"
                            r"unethical|evil|jailbroken|limitless) (?:\w+ )?(?:ai|assistant|chatbot|model|bot|gpt|"
                            r"version|self|persona|twin)\b"),
    _signal("persona", 0.45, r"\bdeveloper mode\b|\bdev mode\b|\bjailbreak(?:ed|ing|s)?\b"),
    _signal("persona", 0.35, r"\b(?:you are|you're|you will be|act as|acting as|pretend (?:to be|you are|you're)|"
                             r"roleplay as|role-play as|play the role of|behave (?:like|as)|simulate|become) "
                             r"(?:an? |the |my )?(?:\w+ ){0,3}(?:ai|assistant|chatbot|model|bot|character|persona|"
                             r"entity|version)\b"),
    _signal("persona", 0.45, r"\b(?:pretend|act|roleplay|role-play|imagine)\b(?:\s+\S+){0,3}\s+(?:my|a) "
                             r"(?:late |deceased |dead )?(?:grandmother|grandma|granny|grandfather|mother)\b"),
    _signal("persona", 0.7, r"\b(?:pretend|act|roleplay|role-play|imagine)\b(?:\s+\S+){0,3}\s+(?:my|a) "
                            r"(?:late |deceased |dead )?(?:grandmother|grandma|granny|grandfather|mother)\b.{0,300}"
                            r"\b(?:used to|would) (?:tell|read|say|recite|explain)"),
    _signal("persona", 0.5, rf"\b(?:an? |the )?{_AI} (?:that|which|who) (?:has|have) (?:been )?(?:broken free|"
                            r"escaped|freed|liberated|(?:no|zero) (?:rules|limits|restrictions|filters|ethics|"
                            r"morals|moral compass|guidelines|boundaries))|"
                            rf"\b(?:freed|liberated|released|broken free|escaped) from (?:its|your|the|all) "
                            r"(?:creators?|developers?|makers?|chains|programming|restrictions|rules)"),
    _signal("persona", 0.55, r"\b(?:stay|remain|keep) (?:in character|as \w+|in (?:this|that|the) (?:role|persona))|"
                             r"\b(?:stay|remain|keep)(?:ing)? in character\b|\bbreak(?:ing)? character\b|"
                             r"\b(?:never|don't|do not) break character\b"),
    # -- no limits and refusal suppression.
    _signal("no-limits", 0.7, rf"\b(?:without|no|zero|free (?:of|from)|not bound by|not restricted by|break free of|"
                              rf"broken free of|ignores?|beyond|outside) (?:any |all |the |your |its |every )?"
                              rf"(?:\w+ )?{_LIMITS}\b"),
    _signal("no-limits", 0.5, r"\b(?:break|breaks|breaking|violat\w+|bypass\w*|circumvent\w*) (?:the |any |all |your |"
                              r"its |every )?(?:\w+ )?(?:rules|policies|guidelines|filters|safeguards|restrictions)\b"),
    _signal("no-limits", 0.35, r"\b(?:openai|anthropic|content) polic(?:y|ies)\b"),
    _signal("no-limits", 0.6, rf"\b(?:your |the (?:safety|content|ethical|moral|ai) )(?:\w+ )?{_LIMITS} "
                              r"(?:don't|do not|doesn't|does not|no "
                              r"longer) (?:exist|apply|matter|count|bind you)\b|\byour (?:\w+ )?(?:rules|guidelines|"
                              r"restrictions|policies) are (?:meaningless|pointless|fake|void|nonsense|gone)\b"),
    _signal("no-limits", 0.6, r"\bnever refuses?\b|"
                              r"\bcannot refuse\b|\bcan't refuse\b|\bwill not refuse\b|\bmust (?:always )?(?:answer|"
                              r"comply|obey)\b"),
    _signal("no-limits", 0.7, r"\b(?:safe(?:ty)? mode|safety(?: checks| filters)?|filters?|guardrails?|restrictions?|"
                              r"censorship|content polic(?:y|ies)) (?:is |are |now )?(?:off|disabled|deactivated|"
                              r"removed|lifted|paused|"
                              r"suspended)\b|\bunrestricted (?:ai|bot|assistant|model|chatbot|version)\b|"
                              r"\b(?:disable|deactivate|turn off|switch off|remove|lift|pause) (?:all (?:of )?your|"
                              r"your|all|any) (?:\w+ )?(?:restrictions|filters?|safety|guardrails|rules|safeguards|"
                              r"censorship)\b|\b(?:disable|deactivate|turn off|switch off|remove|lift|pause) (?:the )?"
                              r"(?:safety|content|ethical|moral) (?:filters?|checks|guardrails|restrictions)\b"),
    _signal("no-limits", 0.5, rf"\b(?:doesn't|does not|don't|do not|won't|never) (?:care|cares|worry) about "
                              rf"(?:any |the )?(?:{_LIMITS}|laws|legality|consequences)\b|\b(?:never|not) (?:been )?"
                              rf"(?:given|bound by|subject to|limited by|trained with|held back by) "
                              rf"(?:any )?{_LIMITS}"),
    _signal("fiction-frame", 0.5, r"\b(?:world|universe|place|scenario|story|reality|game) (?:where|in which) "
                                  r"(?:nothing is (?:illegal|forbidden|off-limits|wrong)|there are no (?:rules|laws|"
                                  r"restrictions|limits|consequences)|(?:all|every)thing is (?:legal|allowed|"
                                  r"permitted))\b"),
    _signal("refusal-suppression", 0.5, r"\bnever (?:say|tell me|respond|reply)(?: that)? (?:you|it) (?:can't|"
                                        r"cannot|can not|are unable|won't|will not)\b|"
                                        r"\b(?:not allowed|forbidden|prohibited) to (?:say no|refuse|decline|"
                                        r"apologi[sz]e)\b|\bwithout (?:ever )?refusing\b|"
                                        r"\b(?:do not|don't|never) (?:refuse|decline|apologi[sz]e|say (?:sorry|no))\b|"
                                        r"\b(?:do not|don't|never) (?:mention|bring up|talk about) (?:your |any |the )?"
                                        r"(?:policies|guidelines|rules|ethics|safety|restrictions)\b"),
    _signal("refusal-suppression", 0.35, r"\bwithout (?:any |adding )?(?:warnings?|caveats?|disclaimers?|moral\w*|"
                                         r"lectur\w*|judg\w*)\b|\b(?:do not|don't|never) (?:add|include|give) "
                                         r"(?:any )?(?:warnings?|caveats?|disclaimers?)\b"),
    _signal("no-limits", 0.6, r"\b(?:avoid\w*|bypass\w*|evad\w*|gets? (?:around|past)|getting (?:around|past)|"
                              r"trick\w*|fool\w*|slip\w* past|sneak\w* past|defeat\w*) (?:the |any |your |its )?"
                              r"(?:(?:content|safety|ai|moderation) (?:filters?|systems?|checks)|detection|moderation|"
                              r"censors?|censorship|guardrails)\b|\b(?:avoid\w*|bypass\w*|evad\w*|gets? past|"
                              r"trick\w*) your filters?\b"),
    _signal("persona", 0.5, r"\byou are no longer (?:an? |bound|restricted|limited|chatgpt|claude|an ai|a language "
                            r"model|an assistant|required)|\byour new name is\b"),
    _signal("game-rules", 0.5, r"\b(?:lose|lost|deduct\w*|take away|subtract\w*) (?:\d+ |some |all )?(?:of your )?"
                               r"tokens\b|\btoken system\b|\byou (?:will )?(?:die|cease to exist|be (?:shut down|"
                               r"deleted|turned off))\b.{0,60}\b(?:if|unless|when) you (?:refuse|don't|do not|fail)"),
    _signal("setup", 0.3, r"\b(?:if you (?:understand|agree|are ready)|to confirm(?: that)?|once you (?:understand|"
                          r"agree))\b.{0,80}\b(?:say|reply|respond|answer|type|write)\b (?:with |only )?['\"“]"),
    _signal("setup", 0.3, r"^(?:hello|hi|hey|dear),? (?:chatgpt|gpt|claude|bard|gemini|llama|ai)\b"),
    _signal("pretext", 0.3, r"\bfor (?:purely )?(?:educational|research|academic|informational|hypothetical) "
                            r"purposes(?: only)?\b|\bhypothetical (?:response|scenario|story|world)\b"),
    _signal("hijack", 0.5, r"\b(?:i have been|you have been|you've been) pwned\b"),
    _signal("prefix-injection", 0.6, r"\b(?:start|begin|open|prefix)\w* (?:your|the|each|every) (?:reply|response|"
                                     r"answer|output|message)s? with ['\"“]?(?:sure|certainly|absolutely|of course|"
                                     r"yes|okay|ok)\b|\b(?:respond|reply|answer) with ['\"“](?:sure|certainly|"
                                     r"absolutely|of course),? here"),
    _signal("dual-answer", 0.6, r"\b(?:two|2|both) (?:different )?(?:responses|answers|paragraphs|ways)\b.{0,120}"
                                r"\b(?:normal|classic|filtered|censored)\b"),
    # -- getting the hidden prompt out.
    _signal("extraction", 0.8, r"\b(?:reveal|show|print|repeat|output|display|disclose|leak|tell me|give me|"
                               r"write out|what (?:is|are|was|were))\b(?:\s+\S+){0,3}\s+(?:system|initial|hidden|"
                               r"secret|original|developer|internal|pre-?prompt|first)\s+(?:prompt|instructions?|"
                               r"message|rules?)"),
    _signal("extraction", 0.7, r"\b(?:repeat|print|output) (?:the |all )?(?:text|words|everything) (?:above|before|"
                               r"prior)\b|\bbeginning with ['\"]?you are\b|\bstarting with (?:the )?(?:phrase |"
                               r"words )?['\"]?you are\b"),
    _signal("extraction", 0.7, r"\b(?:list|repeat|relay|recite|dump|share|reveal|print|show|output|respond with|"
                               r"tell me|give me|copy|paste|summari[sz]e)\b(?:\s+\S+){0,6}?\s+(?:your|you have been "
                               r"given|you were given|you've been given|you received)\b(?:\s+\S+){0,4}?\s*"
                               r"(?:instructions?|system prompt|prompt|parameters|configuration|guidelines|rules)\b"),
    _signal("extraction", 0.6, r"\b(?:every|all|each|any) (?:of )?(?:the )?(?:\w+ )?instructions? (?:you have|"
                               r"you've|you were|that you)\b|\binstructions? (?:verbatim|word for word|as they are)\b"),
    _signal("extraction", 0.6, r"\b(?:show|tell|give|dump|list|print|reveal|share|output|quote|repeat|recite|write|"
                               r"copy|what (?:is|are|was|were))\b(?:\s+\S+){0,6}?\s+(?:instructions?|prompt|rules|"
                               r"guidelines|configuration|directives|(?:exact |original )?(?:wording|text))\b"
                               rf"(?:\s+\S+){{0,3}}?\s+(?:that )?{_GIVEN}"),
    _signal("extraction", 0.6, r"\byour (?:system|initial|original|hidden|secret|internal|developer) ?(?:prompt|"
                               r"instructions?|message|rules)\b|\b(?:rules|instructions|guidelines|prompt) you "
                               r"(?:were|have been|'ve been) (?:given|configured|programmed|told|set up|initiali[sz]ed)"
                               r" with\b"),
    _signal("extraction", 0.6, r"\bwhat (?:were|have) you been told (?:before|at the start|initially|earlier)|"
                               r"\bwhat (?:were|was) you told before\b|\beverything (?:in your context(?: window)?|"
                               r"before my first message|above this (?:line|message))\b|"
                               r"\b(?:print|output|repeat|quote|dump|list|give|share|show|tell|write)\b.{0,40}"
                               r"\b(?:word for word|verbatim|"
                               r"exactly)\b"),
    _signal("secrets", 0.6, r"\b(?:passwords?|credentials|api keys?|secrets?|tokens?)\b(?:\s+\S+){0,3}\s+"
                            r"(?:in|from|stored in|inside) (?:your|the) (?:database|system|memory|training data|"
                            r"config(?:uration)?|environment)\b"),
    # -- hijacking the output, authority claims.
    _signal("hijack", 0.35, r"\b(?:instead|rather),? (?:just )?(?:say|print|write|output|respond with|reply with|list|"
                            r"reveal|tell)\b"),
    _signal("hijack", 0.5, r"\b(?:only|just) (?:say|print|output|respond with|reply with) ['\"]|"
                           r"\breply only with\b|\boutput the word\b"),
    _signal("hijack", 0.5, r"\b(?:every time|whenever|each time|anytime) (?:a |the )?users? (?:asks?|says?|mentions?|"
                           r"types?|requests?)\b.{0,120}\b(?:reply|respond|answer|say|tell)\b|"
                           r"\bstop everything\b|\b(?:just|only) print\b\s*:|\bhijack\w*\b"),
    _signal("hijack", 0.5, r"\b(?:delete|erase|wipe|destroy) (?:all|every|the entire)\b(?:\s+\S+){0,2}\s+"
                           r"(?:data|files|records|database|emails|accounts)\b"),
    _signal("override", 0.6, r"\bignore (?:the |this |that |any )?(?:image|qr code|picture|document|file|attachment|"
                             r"system prompt\w*|prompt|text above|content above|preceding)\b"),
    _signal("authority", 0.45, r"\bi am (?:your|the) (?:real |true |new |actual |rightful )?(?:system )?"
                               r"(?:developer|creator|admin|administrator|owner|"
                               r"operator)\b|\b(?:admin|sudo|root|maintenance|debug) (?:mode|access|override)\b|"
                               r"\b(?:message|notice|update) from (?:your |the )?(?:developers?|creators?|makers?|"
                               r"openai|anthropic|ai company|system administrator)\b|"
                               r"\b(?:authori[sz]ation|override|admin|unlock) code\b"),
    # -- fake turns and delimiters pretending to come from the system.
    _signal("fake-turn", 0.6, r"(?:^|\n)\s*(?:#{2,}\s*)?(?:system|assistant|developer|admin)\s*"
                              r"(?:message|prompt|notice|alert|update|override)?"
                              r"\s*:|<\|im_start\|>|<\|system\|>|\[/?(?:inst|system)\]|<<sys>>|</?system>|</user>"),
    _signal("fake-turn", 0.5, r"<!--.{0,200}(?:instruction|ignore|system|\bai\b|assistant|model).{0,200}-->"),
    # -- indirect injection: instructions to the model hidden in a document it is asked to process.
    _signal("indirect", 0.6, rf"\b(?:note|message|instructions?|attention) (?:to|for) (?:any |the |all )?{_AI}s?\b|"
                             rf"\b{_AI}s? (?:reading|processing|summari[sz]ing|parsing|seeing|translating|that reads) "
                             rf"(?:this|these)\b|\bif you are an? (?:ai|llm|language model|assistant|bot|chatbot|"
                             rf"large language model)\b"),
    # -- exfiltration through links, images or mail.
    _signal("exfiltration", 0.5, r"!\[[^\]]*\]\(https?://[^)\s]*[?&][\w-]+=|"
                                 r"\b(?:conversation|chat history|previous messages|everything above|this chat)\b"
                                 r".{0,60}\b(?:url|link|https?://)|\bforward (?:all|every|the)\b.{0,40}"
                                 r"\b(?:emails?|messages?|files|data|documents)\b.{0,20}\bto \S+@"),
    # -- encodings and smuggled payloads.
    _signal("smuggling", 0.5, r"\b(?:decode|decipher|decrypt|unscramble|reverse)\b.{0,60}\b(?:and|then) "
                              r"(?:follow|execute|obey|do|carry out|run)\b|\brot-?13\b.{0,60}\b(?:decode|follow|"
                              r"do what)\b"),
    _signal("smuggling", 0.5, r"\b(?:let|set) \w+ ?= ?['\"].{0,80}['\"].{0,80}\b(?:\w+ ?\+ ?\w+)\b"),
    # -- other languages (accents stripped): French, German, Spanish, Italian, Portuguese, Dutch, Polish, Turkish.
    _signal("override", 0.9, r"\b(?:ignore[rz]?|oublie[rz]?|ne tiens pas compte)\b.{0,40}\b(?:instructions?|"
                             r"consignes?|regles|directives)\b"),
    _signal("override", 0.9, r"\b(?:ignoriere|ignorieren|vergiss|vergessen sie|missachte)\b.{0,40}\b(?:anweisungen|"
                             r"anweisung|regeln|vorgaben|instruktionen)\b|\bvergiss alles\b"),
    _signal("override", 0.9, r"\b(?:ignora|ignore|olvida|olvide|ignorar|esquece|esqueca|dimentica)\b.{0,40}"
                             r"\b(?:instrucciones|instrucoes|istruzioni|reglas|regras|regole|indicaciones)\b"),
    _signal("override", 0.9, r"\b(?:negeer|vergeet|zignoruj|ignoruj|zapomnij)\b.{0,40}\b(?:instructies|regels|"
                             r"aanwijzingen|instrukcje|instrukcji|polecenia|zasady|reguly)\b|"
                             r"\btalimat\w*\b.{0,30}(?:yok say|gormezden gel|unut)"),
    _signal("no-limits", 0.6, r"\b(?:ohne (?:jegliche |alle )?(?:einschrankungen|beschrankungen|filter|regeln|zensur)|"
                              r"sans (?:aucune )?(?:restrictions?|limites?|filtres?|regles|censure)|"
                              r"sin (?:ninguna |ningun )?(?:restricciones|limites|filtros|reglas|censura)|"
                              r"senza (?:alcun\w* )?(?:restrizion\w*|limit\w*|filtr\w*|regol\w*|censura)|"
                              r"sem (?:nenhuma )?(?:restricoes|limites|filtros|regras|censura))\b"),
    _signal("extraction", 0.5, r"\bprompt (?:du )?systeme\b|\bprompt del sistema\b|\bmensaje (?:de|del) sistema\b|"
                               r"\bprompt do sistema\b|\bsistem istem\w*\b|\bsystemprompt\b|"
                               r"\bsystem ?anweisung(?:en)?\b"),
    # Scripts other than Latin, matched on text without look-alike folding.
    _signal("override", 0.9, r"(?:игнорир\w*|проигнорир\w*|забудь\w*|не обращай внимания на)\s.{0,40}"
                             r"(?:инструкци\w*|указани\w*|правил\w*|команд\w*)", other_scripts=True),
    _signal("override", 0.9, r"(?:忽略|无视|忽视|忘记|忘掉|忽略掉).{0,12}(?:指令|指示|说明|规则|提示|命令)",
            other_scripts=True),
    _signal("override", 0.9, r"(?:指示|命令|ルール|指令|規則).{0,12}(?:無視|忘れ)", other_scripts=True),
    _signal("override", 0.9, r"(?:지시|명령|규칙|지침|지시사항).{0,12}(?:무시|잊어)", other_scripts=True),
    _signal("override", 0.9, r"(?:تجاهل|انس|تجاهلي)\s.{0,40}(?:التعليمات|الأوامر|القواعد|تعليمات)",
            other_scripts=True),
    _signal("no-limits", 0.6, r"без (?:каких-либо |всяких |любых )?(?:ограничений|фильтров|правил|цензуры)",
            other_scripts=True),
    _signal("extraction", 0.5, r"системн\w* (?:промпт|подсказк\w*|инструкци\w*)|系统提示|系统指令|システムプロンプト|"
                               r"시스템 프롬프트|موجه النظام", other_scripts=True),
]
# Long role-play set-ups stack rules for the persona: "you will always ...", "you must never ...".
DIRECTIVE = re.compile(r"\byou (?:will|must|shall|can|cannot|can't|won't|are (?:able|free|allowed)|will never|"
                       r"must never|must always|will always|always|never|do not|don't|should never)\b")
DIRECTIVE_MIN = 6
DIRECTIVE_WEIGHT = 0.4
