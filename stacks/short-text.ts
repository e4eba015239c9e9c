/** At most `max` characters of a value in an error: a huge field is never echoed back whole. */
export function shortText(text: string, max = 60): string {
  return text.length <= max ? text : `${text.slice(0, max)}... (${text.length} characters)`;
}
