import { describe, expect, it } from 'vitest'
import { makeConfusionKey, makeFuzzySignature } from '../../server/text/index.ts'
import { heldOutTodoCorpus, todoCorpus } from './todoCorpus.ts'

describe('makeFuzzySignature', () => {
  it.each([
    // English: case, punctuation and word order do not matter
    ['Review chapter 3', '3_chapter_review'],
    ['review Chapter 3.', '3_chapter_review'],
    ['  Chapter   3, review!  ', '3_chapter_review'],
    ["don't forget", 'dont_forget'],
    ['follow-up with HR', 'followup_hr_with'],
    ['snake_case_name', 'snakecasename'],
    ['10:30 call', '1030_call'],
    // German: umlauts and ß are letters, kept as they are
    ['Steuererklärung abgeben', 'abgeben_steuererklärung'],
    ['Größe der Fenster MESSEN', 'der_fenster_größe_messen'],
    ['Straße fegen', 'fegen_straße'],
    ['STRASSE fegen', 'fegen_strasse'],
    ['ẞ', 'ß'],
    ['Überweisung an Müller (€ 120)', '120_an_müller_überweisung'],
    // French: accents kept, apostrophes (straight or typographic) join the words
    ["Réserver le gîte pour l'été", 'gîte_le_lété_pour_réserver'],
    ['Vérifier l’assurance', 'lassurance_vérifier'],
    ['Où est le passeport ?', 'est_le_où_passeport'],
    // Emoji and symbols drop out; words around them stay
    ['📞 Mama anrufen', 'anrufen_mama'],
    ['Fix 🐛 in the login form', 'fix_form_in_login_the'],
    ['👩‍💻 Pair with Chen', 'chen_pair_with'],
    ['🎉🎉🎉', ''],
    ['!!! ... ???', ''],
    // Other scripts: letters and combining marks stay (a Devanagari vowel sign is a mark)
    ['買い物リストを確認する', '買い物リストを確認する'],
    ['会议 纪要', '会议_纪要'],
    ['हिंदी नोट्स', 'नोट्स_हिंदी'],
    ['Позвонить Ивану', 'ивану_позвонить'],
    // Any Unicode whitespace separates words
    ['a\u00a0b\u2003c\td\u3000e', 'a_b_c_d_e'],
    ['', ''],
  ])('%j → %j', (text, signature) => {
    expect(makeFuzzySignature(text)).toBe(signature)
  })

  it('gives NFD input the signature of its NFC form', () => {
    expect(makeFuzzySignature('Gro\u0308\u00dfe')).toBe('gr\u00f6\u00dfe')
    for (const text of ['Größe über Straße', "l'été à Besançon", 'Ångström naïve café']) {
      expect(makeFuzzySignature(text.normalize('NFD'))).toBe(makeFuzzySignature(text.normalize('NFC')))
    }
  })

  it('does not depend on case even where lowercasing decomposes (T̈ → ẗ)', () => {
    expect(makeFuzzySignature('T\u0308')).toBe('\u1e97')
    expect(makeFuzzySignature('T\u0308')).toBe(makeFuzzySignature('\u1e97'))
  })

  it('keeps the same todo for a re-read that changes case, punctuation or order', () => {
    expect(makeFuzzySignature('review Chapter 3.')).toBe(makeFuzzySignature('Review chapter 3'))
    expect(makeFuzzySignature('Chapter 3: review')).toBe(makeFuzzySignature('Review chapter 3'))
    expect(makeFuzzySignature('Review chapter 4')).not.toBe(makeFuzzySignature('Review chapter 3'))
  })
})

describe('makeConfusionKey', () => {
  it.each([
    ['rn / m', 'Call rnom', 'Call mom'],
    ['rn / m inside a word', 'Return the modem', 'Retum the modern'],
    ['cl / d', 'Clean the dock', 'Dean the clock'],
    ['l / 1', 'Ca11 the bank', 'Call the bank'],
    ['l / I', 'CaII the bank', 'Call the bank'],
    ['l / |', 'Ca|| the bank', 'Call the bank'],
    ['O / 0', 'B00k the r0om', 'Book the room'],
    ['1 then cl', 'C1ean up', 'Dean up'],
    ['5 / S', '5end the invoice', 'Send the invoice'],
    ['vv / w', 'Revievv the vvork', 'Review the work'],
    ['case and punctuation, as the signature', 'review Chapter 3.', 'Review chapter 3'],
  ])('%s: %j and %j share a key', (_, read, other) => {
    expect(makeConfusionKey(read)).toBe(makeConfusionKey(other))
  })

  it('keeps the signature apart for the confusions it folds (only the second key merges them)', () => {
    expect(makeFuzzySignature('Call rnom')).not.toBe(makeFuzzySignature('Call mom'))
    expect(makeFuzzySignature('CaII the bank')).not.toBe(makeFuzzySignature('Call the bank'))
  })

  it('keeps todos apart that differ by more than a confusion', () => {
    expect(makeConfusionKey('Rechnungen zählen')).not.toBe(makeConfusionKey('Rechnungen zahlen'))
    expect(makeConfusionKey('Review chapter 3')).not.toBe(makeConfusionKey('Review chapter 8'))
    expect(makeConfusionKey('Room 101')).not.toBe(makeConfusionKey('Room 110'))
    expect(makeConfusionKey('Call Tom')).not.toBe(makeConfusionKey('Call Tim'))
  })

  it('merges distinct words that differ only by a fold (the price of i → l): fail / fall', () => {
    expect(makeConfusionKey('Fix the fail detection test')).toBe(makeConfusionKey('Fix the fall detection test'))
  })

  it('is empty exactly when the signature is', () => {
    expect(makeConfusionKey('🎉 !!!')).toBe('')
    expect(makeConfusionKey('| |')).toBe('')
  })

  it('gives no two distinct todos of the corpora the same key', () => {
    const texts = [...todoCorpus, ...heldOutTodoCorpus].flatMap(({ expected }) => (expected ? [expected.text] : []))
    const byKey = new Map<string, string[]>()
    for (const text of texts) byKey.set(makeConfusionKey(text), [...(byKey.get(makeConfusionKey(text)) ?? []), text])
    const colliding = [...byKey.values()].filter((group) => group.length > 1)
    console.log(`confusion key: ${texts.length} distinct corpus todos, ${colliding.flat().length} share a key`)
    expect(texts.length).toBeGreaterThanOrEqual(100)
    expect(colliding).toEqual([])
  })
})
