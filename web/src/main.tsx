import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'

import '@mantine/core/styles.css'

import { App } from './app/App.js'
import './styles/base.css'
import './styles/layout.css'
import './styles/components.css'
import './styles/data.css'
import './styles/crm.css'

const container = document.getElementById('root')
if (!container) throw new Error('index.html must contain <div id="root">')

createRoot(container).render(
  <StrictMode>
    <App />
  </StrictMode>,
)
