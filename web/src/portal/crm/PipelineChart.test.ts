import { describe, expect, test } from 'vitest'

import { chartSeries, forecastColour, legendCategories } from './PipelineChart.js'

const stage = (stageName: string, forecastCategoryName: string | null, isClosed = false) => ({
  stageName,
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
    const [series] = chartSeries([stage('Prospecting', 'Pipeline'), stage('Negotiation', 'Commit')], false)
    expect(series?.rows.map((row) => row.forecastCategory)).toEqual(['Pipeline', 'Commit'])
  })

  test('the legend lists the categories shown, from uncertain to certain', () => {
    expect(legendCategories(['Commit', 'Pipeline', null, 'Pipeline'])).toEqual(['Pipeline', 'Commit'])
    expect(legendCategories([null])).toEqual([])
  })
})
