import { describe, expect, test } from 'vitest'

import { chartSeries, forecastColour, legendCategories } from './PipelineChart.js'

const stage = (
  stageName: string,
  forecastCategoryName: string | null,
  isClosed = false,
  sortOrder: number | null = 1,
) => ({
  stageName,
  sortOrder,
  isClosed,
  forecastCategoryName,
  count: 1,
  amounts: [{ currencyIsoCode: 'USD', amount: 100 }],
})

describe('pipeline chart colours', () => {
  test('each bar is coloured by its stage’s forecast category; an unknown one is neutral', () => {
    expect(forecastColour('Commit')).toBe('var(--mantine-color-teal-7)')
    expect(forecastColour('Pipeline')).not.toBe(forecastColour('Best Case'))
    expect(forecastColour(null)).toBe('var(--mantine-color-gray-6)')
    expect(forecastColour('Something else')).toBe('var(--mantine-color-gray-6)')
    const [series] = chartSeries(
      [stage('Prospecting', 'Pipeline', false, 1), stage('Negotiation', 'Commit', false, 2)],
      false,
    )
    expect(series?.rows.map((row) => row.forecastCategory)).toEqual(['Pipeline', 'Commit'])
  })

  test('bars follow the org’s stage order, not the order they arrived in or the alphabet', () => {
    const [series] = chartSeries(
      [
        stage('Needs Analysis', 'Pipeline', false, 3),
        stage('Closed Won', 'Closed', true, 4),
        stage('Qualification', 'Pipeline', false, 1),
        stage('Unlisted', 'Pipeline', false, null),
        stage('Prospecting', 'Pipeline', false, 2),
      ],
      true,
    )
    expect(series?.rows.map((row) => row.stage)).toEqual([
      'Qualification',
      'Prospecting',
      'Needs Analysis',
      'Closed Won',
      'Unlisted',
    ])
  })

  test('the legend lists the categories shown, from uncertain to certain', () => {
    expect(legendCategories(['Commit', 'Pipeline', null, 'Pipeline'])).toEqual(['Pipeline', 'Commit'])
    expect(legendCategories([null])).toEqual([])
  })
})
