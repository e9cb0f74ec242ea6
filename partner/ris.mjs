// citation-js (not a library the API uses) reads every RIS bibliography given on the command line: each record
// must parse, keep its title, and keep an author's suffix ("King, L. E., Jr" → family King, suffix Jr).
import { Cite } from '@citation-js/core'
import '@citation-js/plugin-ris'
import { readFileSync } from 'node:fs'

let records = 0
let suffixes = 0
const problems = []
for (const file of process.argv.slice(2)) {
  const text = readFileSync(file, 'utf8')
  const expected = (text.match(/^TY {2}- /gm) || []).length
  const items = (await Cite.async(text, { forceType: '@ris/file' })).data
  if (items.length !== expected) problems.push(`${file}: ${items.length} records read, ${expected} written`)
  const written = text.split(/^ER {2}- *$/m).filter((r) => /^TY {2}- /m.test(r))
  items.forEach((item, i) => {
    const title = (written[i].match(/^TI {2}- (.*)$/m) || [])[1]
    if (item.title !== title) problems.push(`${file}: ${item.id}: title "${item.title}" is not "${title}"`)
    for (const line of written[i].match(/^AU {2}- .*, .*, (Jr|Sr|II|III)$/gm) || []) {
      const family = line.slice(6).split(',')[0]
      const person = (item.author || []).find((a) => a.family === family)
      if (!person || !person.suffix) problems.push(`${file}: ${item.id}: lost the suffix of ${line.slice(6)}`)
      else suffixes++
    }
  })
  records += items.length
}
for (const problem of problems) console.error(problem)
console.log(`citation-js: ${records} RIS records in ${process.argv.length - 2} bibliographies read; ${suffixes} name suffixes kept; ${problems.length} problems`)
process.exit(problems.length ? 1 : 0)
