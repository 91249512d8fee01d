import { parseQuery } from '@jetstreamapp/soql-parser-js'
const qs = [
 "SELECT Id, Name, Account.Name, Owner.Email FROM Opportunity WHERE Amount > 100 AND (StageName = 'It\\'s' OR NOT IsClosed = true) AND CloseDate = 2024-01-31 AND SystemModstamp > 2024-01-31T12:00:00.123+01:00 AND Name LIKE 'a%' AND Id IN ('a','b') AND CreatedDate = LAST_N_DAYS:5 AND CreatedDate = TODAY ORDER BY Name DESC NULLS LAST, Id LIMIT 10 OFFSET 5",
 "SELECT COUNT() FROM Opportunity",
 "SELECT count(Id) FROM Opportunity",
 "SELECT Id FROM Opportunity WHERE NOT (Amount = null)",
 "SELECT Id FROM Opportunity WHERE Amount != null AND Name NOT IN ('x') AND Amount = 1.5e3",
 "SELECT Id FROM Opportunity WHERE AccountId IN (SELECT Id FROM Account)",
 "SELECT Id FROM Opportunity FRM x",
 "SELECT Id, (SELECT Id FROM OpportunityLineItems) FROM Opportunity FOR UPDATE",
 "SELECT Id FROM Opportunity WHERE Amount = -5 AND IsWon = TRUE AND Name = 'a\\nb\\\\c' AND Amount > USD100",
 "SELECT o.Id FROM Opportunity o",
 "SELECT FIELDS(ALL) FROM Opportunity",
 "SELECT Id FROM Opportunity WHERE CALENDAR_YEAR(CloseDate) = 2024",
 "SELECT Id FROM Opportunity WHERE NOT Amount = 5 AND Name = 'x'",
 "SELECT Id FROM Opportunity WHERE (Amount = 5 OR Amount = 6) AND Name = 'x'",
 "SELECT Id FROM Opportunity WHERE Amount = 5 OR Amount = 6 AND Name = 'x'",
]
for (const q of qs) { try { console.log(q, '\n', JSON.stringify(parseQuery(q), null, 0)) } catch (e) { console.log(q, '\nERR', e.constructor.name, JSON.stringify(e.message), Object.keys(e)) } }
